package io.eiedge.runtime.coap;

import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.chain.ReadingLookup;
import io.eiedge.ledger.codec.LedgerFormatException;
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

    /**
     * A read-only view of a fixed list of encoded headers, genesis first (no readings, no new
     * seals): what a replaying or test peer serves. The head is decoded once, here.
     */
    static LedgerView of(List<byte[]> encodedHeaders) throws LedgerFormatException {
        List<byte[]> encoded = List.copyOf(encodedHeaders);
        SignedHeader head = SignedHeader.decode(encoded.get(encoded.size() - 1));
        return new LedgerView() {
            @Override
            public SignedHeader head() {
                return head;
            }

            @Override
            public List<byte[]> encodedHeaders(long fromHeight, int max) {
                int from = (int) Math.min(fromHeight, encoded.size());
                return encoded.subList(from, Math.min(encoded.size(), from + max));
            }

            @Override
            public ReadingLookup reading(long seq) {
                return new ReadingLookup.Unknown(seq);
            }

            @Override
            public void onSeal(Consumer<SignedHeader> listener) {
            }
        };
    }
}
