package io.eiedge.runtime.coap;

import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.chain.ReadingLookup;
import io.eiedge.ledger.cose.SignedHeader;

import java.util.List;
import java.util.function.Consumer;

/** What the CoAP resources serve of this device's own chain. {@link #of(Chain)} is the real one. */
public interface LedgerView {
    SignedHeader head();

    /** Headers from {@code fromHeight}, at most {@code max}, as their COSE bytes (fewer at the head, none beyond). */
    List<byte[]> encodedHeaders(long fromHeight, int max) throws LedgerStoreException;

    ReadingLookup reading(long seq) throws LedgerStoreException;

    /** Called with every newly sealed header (possibly under the chain's lock: keep it short). */
    void onSeal(Consumer<SignedHeader> listener);

    static LedgerView of(Chain chain) {
        return new LedgerView() {
            @Override
            public SignedHeader head() {
                return chain.head();
            }

            @Override
            public List<byte[]> encodedHeaders(long fromHeight, int max) throws LedgerStoreException {
                return chain.encodedHeaders(fromHeight, max);
            }

            @Override
            public ReadingLookup reading(long seq) throws LedgerStoreException {
                return chain.reading(seq);
            }

            @Override
            public void onSeal(Consumer<SignedHeader> listener) {
                chain.onSeal(listener);
            }
        };
    }
}
