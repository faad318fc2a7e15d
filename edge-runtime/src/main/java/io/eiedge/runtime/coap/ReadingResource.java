package io.eiedge.runtime.coap;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.chain.ReadingLookup;
import io.eiedge.ledger.codec.Cbor;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /ledger/reading?seq=S}: {@code [reading COSE, inclusion proof, header COSE]} (the COSE
 * objects as byte strings, the proof as DESIGN's array), so anyone holding the device's headers
 * can check one reading. 4.04 otherwise, the diagnostic payload starting with "pruned",
 * "unsealed" or "unknown".
 */
final class ReadingResource extends GuardedResource {
    private final LedgerView ledger;

    ReadingResource(LedgerView ledger, PeerServices services) {
        super("reading", services);
        this.ledger = ledger;
        getAttributes().addResourceType("eiedge.reading");
        getAttributes().addContentType(Payloads.CBOR);
        getAttributes().setTitle("?seq=S: [reading, inclusion proof, header]");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        if (!admitted(exchange)) {
            return;
        }
        long seq;
        try {
            seq = number(query(exchange, "seq"), "seq", 1, Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            problem(exchange, ResponseCode.BAD_REQUEST, e.getMessage());
            return;
        }
        ReadingLookup lookup;
        try {
            lookup = ledger.reading(seq);
        } catch (LedgerStoreException e) {
            problem(exchange, ResponseCode.INTERNAL_SERVER_ERROR, "ledger store: " + e.getMessage());
            return;
        }
        switch (lookup) {
            case ReadingLookup.Found f -> cbor(exchange, Cbor.encode(CBORObject.NewArray()
                    .Add(f.reading().cose().encoded()).Add(f.proof().toCbor()).Add(f.header().cose().encoded())));
            case ReadingLookup.Pruned p -> problem(exchange, ResponseCode.NOT_FOUND, "pruned: seq " + p.seq()
                    + " was sealed in block " + p.height() + "; retention removed its body, the header remains");
            case ReadingLookup.Unsealed u -> problem(exchange, ResponseCode.NOT_FOUND, "unsealed: seq " + seq
                    + " is durable but not in a block yet; ask again after the next seal");
            case ReadingLookup.Unknown u -> problem(exchange, ResponseCode.NOT_FOUND, "unknown: no reading with seq " + seq
                    + " was ever appended here");
        }
    }
}
