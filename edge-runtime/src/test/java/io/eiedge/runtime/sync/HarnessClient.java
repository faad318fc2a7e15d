package io.eiedge.runtime.sync;

import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.runtime.coap.CoapSettings;
import io.eiedge.runtime.coap.PeerEndpoint;
import io.eiedge.runtime.coap.Payloads;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.Request;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;

/** A bare CoAP/DTLS client holding some device's real certificate: the test's malicious peer or reader. */
final class HarnessClient implements AutoCloseable {
    private final PeerEndpoint endpoint;
    private final CoapClient client = new CoapClient();

    HarnessClient(DeviceIdentity identity) throws Exception {
        this(identity, identity.validator(Clock.systemUTC()));
    }

    /** @param validator how this client judges the server (lets a foreign-root client get far enough to be refused) */
    HarnessClient(DeviceIdentity identity, io.eiedge.provisioning.trust.PeerCertificateValidator validator) throws Exception {
        endpoint = PeerEndpoint.secure(CoapSettings.configuration(), new InetSocketAddress("127.0.0.1", 0), identity.privateKey(),
                identity.certificate(), () -> validator, (a, v) -> { }, false);
        endpoint.endpoint().start();
        client.setEndpoint(endpoint.endpoint());
        client.setTimeout(5_000L);
    }

    /** null when there was no answer (e.g. the handshake was refused). */
    CoapResponse get(URI uri) throws Exception {
        Request r = Request.newGet();
        r.setURI(uri);
        return client.advanced(r);
    }

    /** The handshake alert a GET ends with, e.g. "fatal alert/UNKNOWN_CA"; fails if the GET is answered. */
    String handshakeFailure(URI uri) throws Exception {
        try {
            CoapResponse r = get(uri);
            throw new AssertionError("expected a refused handshake, got " + (r == null ? "no answer" : r.getCode()));
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }

    CoapResponse post(URI uri, byte[] cbor) throws Exception {
        Request r = Request.newPost();
        r.setURI(uri);
        r.setPayload(cbor);
        r.getOptions().setContentFormat(Payloads.CBOR);
        return client.advanced(r);
    }

    @Override
    public void close() {
        client.shutdown();
        endpoint.endpoint().destroy();
    }
}
