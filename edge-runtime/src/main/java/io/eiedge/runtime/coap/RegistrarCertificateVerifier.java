package io.eiedge.runtime.coap;

import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerVerdict;
import io.eiedge.provisioning.trust.Refusal;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;
import org.tinylog.Logger;

import javax.security.auth.x500.X500Principal;
import java.net.InetSocketAddress;
import java.security.cert.CertPath;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Scandium's certificate check, delegated to provisioning's {@link PeerCertificateValidator}: the
 * registrar root is the only trust anchor, the device profile and SAN must hold, and the newest CRL
 * applies — read at every handshake through the supplier, so a CRL applied a moment ago already
 * refuses the next handshake. Refusals end the handshake with a fatal alert that says why
 * (certificate_revoked, certificate_expired, unknown_ca, bad_certificate).
 */
public final class RegistrarCertificateVerifier implements NewAdvancedCertificateVerifier {
    private final Supplier<PeerCertificateValidator> validator;
    private final BiConsumer<InetSocketAddress, PeerVerdict> refusals;

    /** @param refusals told of every refused handshake (peer address, verdict), for /health and tests */
    public RegistrarCertificateVerifier(Supplier<PeerCertificateValidator> validator,
                                        BiConsumer<InetSocketAddress, PeerVerdict> refusals) {
        this.validator = validator;
        this.refusals = refusals;
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(CertificateType.X_509);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName, InetSocketAddress remotePeer,
                                                           boolean clientUsage, boolean verifySubject,
                                                           boolean truncateCertificatePath, CertificateMessage message) {
        CertPath path = message.getCertificateChain();
        List<X509Certificate> chain = new ArrayList<>();
        if (path != null) {
            path.getCertificates().forEach(c -> chain.add((X509Certificate) c));
        }
        PeerVerdict verdict = validator.get().check(chain);
        if (verdict.isTrusted()) {
            return new CertificateVerificationResult(cid, path, null);
        }
        Refusal why = verdict.refusal().orElseThrow();
        Logger.warn("DTLS handshake from {} refused: {} ({})", remotePeer, why, verdict.detail());
        refusals.accept(remotePeer, verdict);
        AlertDescription alert = switch (why) {
            case REVOKED -> AlertDescription.CERTIFICATE_REVOKED;
            case EXPIRED, NOT_YET_VALID, ROOT_OUT_OF_VALIDITY -> AlertDescription.CERTIFICATE_EXPIRED;
            case NOT_FROM_REGISTRAR, UNEXPECTED_CHAIN -> AlertDescription.UNKNOWN_CA;
            default -> AlertDescription.BAD_CERTIFICATE;
        };
        return new CertificateVerificationResult(cid, new HandshakeException(verdict.detail(),
                new AlertMessage(AlertLevel.FATAL, alert)), null);
    }

    @Override
    public List<X500Principal> getAcceptedIssuers() {
        return List.of(validator.get().root().getSubjectX500Principal());
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers synchronously
    }
}
