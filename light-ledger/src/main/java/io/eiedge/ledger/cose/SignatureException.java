package io.eiedge.ledger.cose;

/** A well-formed COSE_Sign1 whose kid or signature does not belong to the expected key. */
public class SignatureException extends Exception {
    public SignatureException(String message) {
        super(message);
    }
}
