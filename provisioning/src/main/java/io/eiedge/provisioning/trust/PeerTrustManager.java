package io.eiedge.provisioning.trust;

import javax.net.ssl.X509TrustManager;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The validator as a JSSE trust manager (for Paho's TLS socket factory or any SSLContext): a peer
 * is accepted exactly when {@link PeerCertificateValidator} trusts it, and refused with the
 * validator's reason as the exception message. The supplier lets the runtime swap in a validator
 * with a newer CRL without rebuilding the SSLContext.
 */
public final class PeerTrustManager implements X509TrustManager {

    private final Supplier<PeerCertificateValidator> validator;

    public PeerTrustManager(Supplier<PeerCertificateValidator> validator) {
        this.validator = validator;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {validator.get().root()};
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        PeerVerdict v = validator.get().check(chain == null ? null : Arrays.asList(chain));
        if (!v.isTrusted()) {
            throw new CertificateException(v.refusal().orElseThrow() + ": " + v.detail());
        }
    }
}
