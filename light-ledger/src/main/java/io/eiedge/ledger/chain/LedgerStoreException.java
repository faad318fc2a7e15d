package io.eiedge.ledger.chain;

/** The chain's files cannot be used: I/O failure, corruption beyond a torn tail, or a store of another device. */
public class LedgerStoreException extends Exception {
    public LedgerStoreException(String message) {
        super(message);
    }

    public LedgerStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
