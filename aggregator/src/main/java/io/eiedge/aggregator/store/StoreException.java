package io.eiedge.aggregator.store;

/** The database cannot be used as an eiedge store (wrong schema version, unreachable, refused login). */
public final class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
