package io.eiedge.runtime.sync;

import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerVerdict;
import io.eiedge.provisioning.trust.RevocationLists;
import org.tinylog.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The newest registrar CRL this node holds and the peer validator built on it. CRLs come from a
 * file, the MQTT crl topic and peers' {@code /crl}; each is checked against the root (and refused
 * if older than the one held), then applied at once: listeners drop the DTLS sessions, syncs and
 * observations of every peer it revokes.
 */
public final class Revocation {
    private final AtomicReference<PeerCertificateValidator> validator;
    private final LedgerVerifier ledgerVerifier;
    private final List<Consumer<PeerCertificateValidator>> listeners = new CopyOnWriteArrayList<>();

    public Revocation(PeerCertificateValidator initial, InstantSource clock) {
        this.validator = new AtomicReference<>(initial);
        try {
            // revocation is checked by the validator; the ledger verifier only reads SAN and key
            this.ledgerVerifier = new LedgerVerifier(initial.root(), null, clock);
        } catch (VerificationException e) {
            throw new IllegalStateException(e);
        }
    }

    public PeerCertificateValidator validator() {
        return validator.get();
    }

    /** Called after every newly applied CRL, with the validator that holds it. */
    public void onApplied(Consumer<PeerCertificateValidator> listener) {
        listeners.add(listener);
    }

    /** The outcome of offering a CRL. */
    public record Outcome(boolean applied, String message) {
    }

    /** Offers a CRL (DER or PEM); {@code source} names where it came from, for the logs. */
    public Outcome offer(byte[] encoded, String source) {
        X509CRL crl;
        try {
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            return refused(source, "not an X.509 CRL (" + e.getMessage() + ")");
        }
        PeerCertificateValidator current = validator.get();
        if (current.crl().isPresent() && sameCrl(current.crl().get(), crl)) {
            return new Outcome(false, "CRL from " + source + " is the one already held");
        }
        PeerCertificateValidator next;
        try {
            next = current.withCrl(crl);
        } catch (ProvisioningException e) {
            return refused(source, e.getMessage());
        }
        if (!validator.compareAndSet(current, next)) {
            return offer(encoded, source); // another CRL won the race; compare against it
        }
        Logger.info("CRL number {} from {} applied: {} revoked certificate(s)", RevocationLists.number(crl).map(String::valueOf)
                .orElse("?"), source, crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
        listeners.forEach(l -> {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                Logger.error(e, "applying the CRL from {}", source);
            }
        });
        return new Outcome(true, "applied");
    }

    public Outcome offerFile(Path file) {
        try {
            return offer(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            return refused(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    private static boolean sameCrl(X509CRL a, X509CRL b) {
        try {
            return java.util.Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (CRLException e) {
            return false;
        }
    }

    private static Outcome refused(String source, String why) {
        Logger.warn("CRL from {} refused: {}", source, why);
        return new Outcome(false, why);
    }

    /** The newest CRL held (its thisUpdate is the CRL's age on the status page). */
    public java.util.Optional<java.security.cert.X509CRL> crl() {
        return validator.get().crl();
    }

    /** The newest CRL held, DER. */
    public java.util.Optional<byte[]> crlDer() {
        return validator.get().crl().map(c -> {
            try {
                return c.getEncoded();
            } catch (CRLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public PeerVerdict check(X509Certificate certificate) {
        return validator.get().check(certificate);
    }

    /** A peer certificate as the ledger needs it, after the validator (root, profile, CRL) trusts it. */
    public TrustedDevice trust(X509Certificate certificate) throws VerificationException {
        PeerVerdict v = check(certificate);
        if (!v.isTrusted()) {
            throw new VerificationException(v.refusal().orElseThrow() == io.eiedge.provisioning.trust.Refusal.REVOKED
                    ? VerificationException.Reason.REVOKED : VerificationException.Reason.CERTIFICATE, v.detail());
        }
        try {
            return ledgerVerifier.trust(certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new VerificationException(VerificationException.Reason.CERTIFICATE, "unencodable certificate", e);
        }
    }

    public TrustedDevice trust(byte[] certificateDer) throws VerificationException {
        return trust(LedgerVerifier.parseCertificate(certificateDer));
    }

    /** Whether the CRL now held revokes the certificate of {@code device}. */
    public boolean isRevoked(TrustedDevice device) {
        try {
            return check(LedgerVerifier.parseCertificate(device.certificateDer())).refusal()
                    .filter(r -> r == io.eiedge.provisioning.trust.Refusal.REVOKED).isPresent();
        } catch (VerificationException e) {
            return true;
        }
    }
}
