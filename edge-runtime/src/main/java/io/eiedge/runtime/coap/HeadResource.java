package io.eiedge.runtime.coap;

import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** {@code /ledger/head}: the newest header COSE_Sign1, observable; observers hear every seal. */
final class HeadResource extends GuardedResource {
    private final LedgerView ledger;

    HeadResource(LedgerView ledger, PeerServices services) {
        super("head", services);
        this.ledger = ledger;
        setObservable(true);
        setObserveType(Type.CON); // a lost notification would leave a peer a block behind until its next poll
        getAttributes().setObservable();
        getAttributes().addResourceType("eiedge.head");
        getAttributes().addContentType(Payloads.CBOR);
        getAttributes().setTitle("newest header, COSE_Sign1");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        // notifications come through here too, so a peer revoked since it registered loses its observation
        if (admitted(exchange)) {
            cbor(exchange, ledger.head().cose().encoded());
        }
    }

    /** Notifies observers of a new head. */
    void sealed() {
        changed();
    }
}
