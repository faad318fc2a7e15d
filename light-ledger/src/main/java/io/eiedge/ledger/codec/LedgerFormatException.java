package io.eiedge.ledger.codec;

/**
 * Bytes that are not a valid ledger object: malformed or non-deterministic CBOR, a missing
 * or wrongly typed field, an unknown key. The message names the object, the field and the
 * fault, e.g. {@code reading key 3 (seq): text string where an unsigned integer is required}.
 */
public class LedgerFormatException extends Exception {
    public LedgerFormatException(String message) {
        super(message);
    }

    public LedgerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
