package io.eiedge.runtime.coap;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** What the CoAP resources ask of the rest of the peer network (sync, revocation, node health). */
public interface PeerServices {

    /**
     * Why a requester must not be served (revoked since its handshake, frozen…), or empty. Asked
     * on every request, so a CRL applied mid-session takes effect on the next message.
     *
     * @param requester the certificate proven in the DTLS handshake; empty over plain CoAP
     */
    Optional<String> refusal(Optional<X509Certificate> requester);

    /** A peer pushes its new headers (POST /ledger/headers). */
    PushAnswer push(Optional<X509Certificate> requester, List<byte[]> headers);

    /** /peers: CBOR. */
    byte[] peers();

    /** /crl: the newest CRL held, DER. */
    Optional<byte[]> crl();

    /** /health: JSON. */
    String health();

    /** The answer to a push: a status and one line saying why. */
    record PushAnswer(Status status, String message) {
        public enum Status { CHANGED, BAD_REQUEST, FORBIDDEN, CONFLICT }
    }
}
