package io.eiedge.runtime.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

import java.security.cert.X509Certificate;
import java.util.Optional;

/** A resource that refuses requesters the peer network refuses (revoked since the handshake…). */
abstract class GuardedResource extends CoapResource {
    protected final PeerServices services;

    GuardedResource(String name, PeerServices services) {
        super(name);
        this.services = services;
    }

    static Optional<X509Certificate> requester(CoapExchange exchange) {
        return PeerEndpoint.peerCertificate(exchange.advanced().getRequest().getSourceContext());
    }

    /** True when the request may go on; otherwise it has been answered 4.03 with the reason. */
    protected boolean admitted(CoapExchange exchange) {
        Optional<String> refusal = services.refusal(requester(exchange));
        if (refusal.isPresent()) {
            exchange.respond(ResponseCode.FORBIDDEN, refusal.get(), MediaTypeRegistry.TEXT_PLAIN);
            return false;
        }
        return true;
    }

    static void cbor(CoapExchange exchange, byte[] payload) {
        exchange.respond(ResponseCode.CONTENT, payload, Payloads.CBOR);
    }

    static void problem(CoapExchange exchange, ResponseCode code, String message) {
        exchange.respond(code, message, MediaTypeRegistry.TEXT_PLAIN);
    }

    /** The one value of query parameter {@code name}, or null. */
    static String query(CoapExchange exchange, String name) {
        for (String q : exchange.getRequestOptions().getUriQuery()) {
            if (q.startsWith(name + "=")) {
                return q.substring(name.length() + 1);
            }
        }
        return null;
    }

    static long number(String text, String name, long min, long max) {
        if (text == null) {
            throw new IllegalArgumentException("query parameter '" + name + "' is missing");
        }
        try {
            long v = Long.parseLong(text);
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + "=" + text + " is outside " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + text + " is not a whole number");
        }
    }
}
