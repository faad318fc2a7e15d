package io.eiedge.provisioning.trust;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.cert.CertificateProfile;
import io.eiedge.provisioning.cert.Fingerprints;
import io.eiedge.provisioning.identity.DeviceName;

import java.security.GeneralSecurityException;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a peer's certificate is one the registrar vouches for: issued and signed by the
 * registrar root (the only trust anchor; device certificates come straight from it, there are no
 * intermediates), within its validity, following the device profile with a well-formed eiedge SAN,
 * and not revoked by the newest CRL this device holds.
 *
 * <p>Immutable: when a newer CRL arrives (MQTT, CoAP), {@link #withCrl(X509CRL)} checks it and
 * returns a new validator; hold the current one in an {@code AtomicReference}. A CRL past its
 * next-update is still applied: an old list of revocations is better than none, and refusing every
 * peer because the registrar is offline would stop the subnet. {@link #crlOverdue()} tells, so
 * the runtime can show it in /health.
 */
public final class PeerCertificateValidator {

    private final X509Certificate root;
    private final Optional<X509CRL> crl;
    private final Clock clock;

    private PeerCertificateValidator(X509Certificate root, Optional<X509CRL> crl, Clock clock) {
        this.root = root;
        this.crl = crl;
        this.clock = clock;
    }

    /** A validator trusting this root, with no CRL yet. */
    public static PeerCertificateValidator forRoot(X509Certificate root, Clock clock) throws ProvisioningException {
        if (root.getBasicConstraints() < 0) {
            throw new ProvisioningException(Problem.INVALID_INPUT, "the registrar root " + root.getSubjectX500Principal()
                    + " is not a CA certificate");
        }
        try {
            root.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, "the registrar root " + root.getSubjectX500Principal()
                    + " is not validly self-signed (" + e.getMessage() + ")", e);
        }
        return new PeerCertificateValidator(root, Optional.empty(), clock);
    }

    /**
     * This validator with a new CRL, after checking that the root signed it. A CRL older than the
     * one held (by CRL number, else by this-update) is refused: replaying an old CRL must not
     * un-revoke anyone.
     */
    public PeerCertificateValidator withCrl(X509CRL newer) throws ProvisioningException {
        verifyCrl(newer, root);
        if (crl.isPresent() && RevocationLists.isOlder(newer, crl.get())) {
            throw new ProvisioningException(Problem.INVALID_INPUT, "the CRL (number " + RevocationLists.number(newer)
                    + ", issued " + newer.getThisUpdate().toInstant() + ") is older than the one held (number "
                    + RevocationLists.number(crl.get()) + "); kept the newer one");
        }
        return new PeerCertificateValidator(root, Optional.of(newer), clock);
    }

    /** Checks that the CRL was issued and signed by the root. */
    public static void verifyCrl(X509CRL crl, X509Certificate root) throws ProvisioningException {
        if (!crl.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            throw new ProvisioningException(Problem.INVALID_INPUT, "the CRL is issued by " + crl.getIssuerX500Principal()
                    + ", not by the registrar root " + root.getSubjectX500Principal());
        }
        try {
            crl.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, "the CRL's signature does not verify with the registrar root ("
                    + e.getMessage() + ")", e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    public Optional<X509CRL> crl() {
        return crl;
    }

    /** Whether the CRL held is past its next-update (the registrar should have published a newer one). */
    public boolean crlOverdue() {
        return crl.map(c -> c.getNextUpdate() != null && c.getNextUpdate().toInstant().isBefore(clock.instant())).orElse(false);
    }

    /** Checks a peer's chain as presented in a handshake: the peer first, optionally followed by the root. */
    public PeerVerdict check(List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            return PeerVerdict.refused(Refusal.NO_CERTIFICATE, null, "the peer presented no certificate");
        }
        for (X509Certificate extra : chain.subList(1, chain.size())) {
            if (!Arrays.equals(Fingerprints.certificateSha256(extra), Fingerprints.certificateSha256(root))) {
                return PeerVerdict.refused(Refusal.UNEXPECTED_CHAIN, null, "the peer's chain holds "
                        + extra.getSubjectX500Principal() + ", which is not the registrar root; eiedge chains are device + root only");
            }
        }
        return check(chain.get(0));
    }

    /** Checks one peer certificate. */
    public PeerVerdict check(X509Certificate peer) {
        if (peer == null) {
            return PeerVerdict.refused(Refusal.NO_CERTIFICATE, null, "the peer presented no certificate");
        }
        String subject = peer.getSubjectX500Principal().toString();
        if (!peer.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            return PeerVerdict.refused(Refusal.NOT_FROM_REGISTRAR, null, "certificate of " + subject + " is issued by "
                    + peer.getIssuerX500Principal() + ", not by the registrar root " + root.getSubjectX500Principal());
        }
        try {
            peer.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            return PeerVerdict.refused(Refusal.NOT_FROM_REGISTRAR, null, "certificate of " + subject
                    + " does not verify with the registrar root's key (forged or from another registrar with the same name)");
        }
        try {
            CertificateProfile.checkDeviceProfile(peer, "certificate of " + subject);
        } catch (ProvisioningException e) {
            return PeerVerdict.refused(Refusal.NOT_A_DEVICE_CERTIFICATE, null, e.getMessage());
        }
        DeviceName name;
        try {
            name = CertificateProfile.deviceName(peer, "certificate of " + subject);
        } catch (ProvisioningException e) {
            return PeerVerdict.refused(Refusal.BAD_NAME, null, e.getMessage());
        }
        Instant now = clock.instant();
        Date when = Date.from(now);
        if (now.isAfter(root.getNotAfter().toInstant()) || now.isBefore(root.getNotBefore().toInstant())) {
            return PeerVerdict.refused(Refusal.ROOT_OUT_OF_VALIDITY, name, "the registrar root is valid from "
                    + root.getNotBefore().toInstant() + " to " + root.getNotAfter().toInstant() + ", it is now " + now);
        }
        if (when.after(peer.getNotAfter())) {
            return PeerVerdict.refused(Refusal.EXPIRED, name, "certificate of " + name.deviceId() + " expired at "
                    + peer.getNotAfter().toInstant() + " (now " + now + ")");
        }
        if (when.before(peer.getNotBefore())) {
            return PeerVerdict.refused(Refusal.NOT_YET_VALID, name, "certificate of " + name.deviceId()
                    + " is not valid before " + peer.getNotBefore().toInstant() + " (now " + now + "; check the clock)");
        }
        if (crl.isPresent()) {
            X509CRLEntry entry = crl.get().getRevokedCertificate(peer.getSerialNumber());
            if (entry != null) {
                CRLReason reason = entry.getRevocationReason();
                return PeerVerdict.refused(Refusal.REVOKED, name, "certificate of " + name.deviceId() + " (serial "
                        + peer.getSerialNumber().toString(16) + ") was revoked by the registrar at "
                        + entry.getRevocationDate().toInstant()
                        + (reason == null ? "" : " (" + RevocationLists.reasonName(reason) + ")"));
            }
        }
        return PeerVerdict.trusted(name);
    }
}
