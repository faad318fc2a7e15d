package io.eiedge.runtime.coap;

import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerVerdict;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;

import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A node's UDP endpoint: coaps (DTLS 1.2, X.509 both ways) or, only behind the insecure flag, plain
 * coap. A node has two: the server on its well-known port and a client on an ephemeral port. One
 * endpoint in both roles would make two peers that dial each other at the same moment collide with
 * two handshakes on one address pair, each aborting the other.
 */
public final class PeerEndpoint {
    /**
     * A client's DTLS session goes quiet this long (no record from the peer) before its next request
     * starts with a resumption handshake. DTLS 1.2 gives a peer that restarted no way to say it
     * forgot our session — it drops our records — and a resumption it does not know turns into a
     * full handshake. Longer than a few sync rounds (30 s by default), whose answers keep a live
     * session fresh, so a healthy link never pays for it. Only on the client: a server-only
     * connector would drop a notification to a quiet client instead. Californium forbids it with
     * connection ids, which eiedge does not use.
     */
    public static final java.time.Duration CLIENT_AUTO_HANDSHAKE = java.time.Duration.ofMinutes(2);

    private final CoapEndpoint endpoint;
    private final DTLSConnector dtls;

    private PeerEndpoint(CoapEndpoint endpoint, DTLSConnector dtls) {
        this.endpoint = endpoint;
        this.dtls = dtls;
    }

    /** A coaps endpoint with the device's key and certificate, peers checked by {@code validator}. */
    public static PeerEndpoint secure(Configuration base, InetSocketAddress bind, PrivateKey key, X509Certificate certificate,
                                      Supplier<PeerCertificateValidator> validator,
                                      BiConsumer<InetSocketAddress, PeerVerdict> refusals, boolean server) {
        Configuration config = new Configuration(base);
        config.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE, server
                ? org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.SERVER_ONLY
                : org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.CLIENT_ONLY);
        if (!server) {
            config.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_AUTO_HANDSHAKE_TIMEOUT,
                    CLIENT_AUTO_HANDSHAKE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        SingleCertificateProvider identity = new SingleCertificateProvider(key, new Certificate[] {certificate},
                CertificateType.X_509);
        DtlsConnectorConfig dtlsConfig = DtlsConnectorConfig.builder(config)
                .setAddress(bind)
                .setCertificateIdentityProvider(identity)
                .setAdvancedCertificateVerifier(new RegistrarCertificateVerifier(validator, refusals))
                .build();
        DTLSConnector connector = new DTLSConnector(dtlsConfig);
        CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector)
                .setLoggingTag(server ? "coaps-server" : "coaps-client").build();
        return new PeerEndpoint(endpoint, connector);
    }

    /** Plain CoAP, no authentication: lab set-ups and the libcoap interoperability test only. */
    public static PeerEndpoint insecure(Configuration config, InetSocketAddress bind) {
        return new PeerEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setInetSocketAddress(bind)
                .setLoggingTag("coap").build(), null);
    }

    public CoapEndpoint endpoint() {
        return endpoint;
    }

    public boolean isSecure() {
        return dtls != null;
    }

    /** The scheme peers dial this endpoint with. */
    public String scheme() {
        return isSecure() ? "coaps" : "coap";
    }

    public InetSocketAddress address() {
        return endpoint.getAddress();
    }

    /** Ends every DTLS connection whose peer certificate matches (e.g. was just revoked). */
    public void dropConnections(Predicate<X509Certificate> which) {
        if (dtls == null) {
            return;
        }
        org.eclipse.californium.elements.util.Filter<java.security.Principal> revoked =
                p -> p instanceof X509CertPath path && which.test(path.getTarget());
        dtls.startTerminateConnectionsForPrincipal(revoked);
    }

    /**
     * The next message to {@code peer} starts with a handshake: after it stopped answering, in case
     * it restarted and dropped our session (a no-op for plain CoAP).
     */
    public void handshakeAgain(InetSocketAddress peer) {
        if (dtls != null) {
            dtls.forceResumeSessionFor(peer);
        }
    }

    /** The certificate a peer proved in the DTLS handshake, from a message's endpoint context. */
    public static Optional<X509Certificate> peerCertificate(org.eclipse.californium.elements.EndpointContext context) {
        if (context != null && context.getPeerIdentity() instanceof X509CertPath path) {
            return Optional.ofNullable(path.getTarget());
        }
        return Optional.empty();
    }
}
