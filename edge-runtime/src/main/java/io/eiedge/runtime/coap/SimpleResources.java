package io.eiedge.runtime.coap;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

import java.util.Optional;
import java.util.function.Supplier;

/** The small read-only resources: /id, /peers, /crl, /health, and the /ledger folder. */
final class SimpleResources {
    private SimpleResources() {
    }

    /** {@code /id}: the device certificate, DER. */
    static CoapResource id(byte[] certificateDer, PeerServices services) {
        return bytes("id", "eiedge.id", "device certificate, DER", MediaTypeRegistry.APPLICATION_OCTET_STREAM, services,
                () -> Optional.of(certificateDer.clone()), "");
    }

    /** {@code /peers}: CBOR array of {1: device id, 2: verified height, 3: state, 4: misbehaviour, 5: uri?}. */
    static CoapResource peers(PeerServices services) {
        return bytes("peers", "eiedge.peers", "known peers, CBOR", Payloads.CBOR, services,
                () -> Optional.of(services.peers()), "");
    }

    /** {@code /crl}: the newest registrar CRL this node holds, DER; 4.04 if it holds none. */
    static CoapResource crl(PeerServices services) {
        return bytes("crl", "eiedge.crl", "registrar CRL, DER", MediaTypeRegistry.APPLICATION_OCTET_STREAM, services,
                services::crl, "no CRL held: the registrar has not published one to this node");
    }

    /** {@code /health}: JSON. */
    static CoapResource health(PeerServices services) {
        return bytes("health", "eiedge.health", "node health, JSON", MediaTypeRegistry.APPLICATION_JSON, services,
                () -> Optional.of(services.health().getBytes(java.nio.charset.StandardCharsets.UTF_8)), "");
    }

    /** {@code /ledger}: a folder; GET says what it holds. */
    static CoapResource ledgerFolder() {
        return new CoapResource("ledger") {
            @Override
            public void handleGET(CoapExchange exchange) {
                exchange.respond(ResponseCode.CONTENT, "head, headers?from=H&n=N, reading?seq=S", MediaTypeRegistry.TEXT_PLAIN);
            }
        };
    }

    private static CoapResource bytes(String name, String resourceType, String title, int contentFormat, PeerServices services,
                                      Supplier<Optional<byte[]>> body, String missing) {
        GuardedResource r = new GuardedResource(name, services) {
            @Override
            public void handleGET(CoapExchange exchange) {
                if (!admitted(exchange)) {
                    return;
                }
                Optional<byte[]> b = body.get();
                if (b.isPresent()) {
                    exchange.respond(ResponseCode.CONTENT, b.get(), contentFormat);
                } else {
                    problem(exchange, ResponseCode.NOT_FOUND, missing);
                }
            }
        };
        r.getAttributes().addResourceType(resourceType);
        r.getAttributes().addContentType(contentFormat);
        r.getAttributes().setTitle(title);
        return r;
    }
}
