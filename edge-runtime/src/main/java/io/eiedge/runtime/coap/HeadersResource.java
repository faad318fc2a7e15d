package io.eiedge.runtime.coap;

import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.codec.LedgerFormatException;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.tinylog.Logger;

import java.util.List;

/**
 * {@code /ledger/headers}: GET {@code ?from=H&n=N} answers the array of header COSE_Sign1 for
 * heights H…H+N-1 (fewer at the head, empty beyond it; N ≤ 500, block-wise); POST takes a peer's
 * pushed headers and answers 2.04 or 4.xx with the reason.
 */
final class HeadersResource extends GuardedResource {
    private final LedgerView ledger;

    HeadersResource(LedgerView ledger, PeerServices services) {
        super("headers", services);
        this.ledger = ledger;
        getAttributes().addResourceType("eiedge.headers");
        getAttributes().addContentType(Payloads.CBOR);
        getAttributes().setTitle("header range ?from=H&n=N (N<=500); POST pushes headers");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        if (!admitted(exchange)) {
            return;
        }
        long from;
        int n;
        try {
            from = number(query(exchange, "from"), "from", 0, Long.MAX_VALUE - Payloads.MAX_HEADERS);
            String count = query(exchange, "n");
            n = count == null ? Payloads.MAX_HEADERS : (int) number(count, "n", 1, Payloads.MAX_HEADERS);
        } catch (IllegalArgumentException e) {
            problem(exchange, ResponseCode.BAD_REQUEST, e.getMessage());
            return;
        }
        try {
            cbor(exchange, Payloads.byteStrings(ledger.encodedHeaders(from, n)));
        } catch (LedgerStoreException e) {
            Logger.error("serving headers from {}: {}", from, e.getMessage());
            problem(exchange, ResponseCode.INTERNAL_SERVER_ERROR, "ledger store: " + e.getMessage());
        }
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        if (!admitted(exchange)) {
            return;
        }
        List<byte[]> headers;
        try {
            headers = Payloads.decodeByteStrings(exchange.getRequestPayload(), Payloads.MAX_HEADERS, "pushed headers");
        } catch (LedgerFormatException e) {
            problem(exchange, ResponseCode.BAD_REQUEST, e.getMessage());
            return;
        }
        PeerServices.PushAnswer answer = services.push(requester(exchange), headers);
        ResponseCode code = switch (answer.status()) {
            case CHANGED -> ResponseCode.CHANGED;
            case BAD_REQUEST -> ResponseCode.BAD_REQUEST;
            case FORBIDDEN -> ResponseCode.FORBIDDEN;
            case CONFLICT -> ResponseCode.CONFLICT;
        };
        problem(exchange, code, answer.message());
    }
}
