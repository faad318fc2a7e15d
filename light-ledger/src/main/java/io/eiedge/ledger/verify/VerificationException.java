package io.eiedge.ledger.verify;

/** Something failed verification; {@link #reason()} says which kind of failure, the message says exactly what. */
public class VerificationException extends Exception {

    /** Kinds of failure an aggregator may want to count separately. */
    public enum Reason {
        /** Bytes that are not a valid object of the contract. */
        FORMAT,
        /** Wrong kid or signature. */
        SIGNATURE,
        /** Certificate not issued by the registrar root, expired, or without an eiedge identity. */
        CERTIFICATE,
        /** Certificate revoked by the registrar's CRL. */
        REVOKED,
        /** Signed by one device but claiming another, or under another certificate. */
        IDENTITY,
        /** Header does not link to its predecessor (height, hash or seq). */
        LINK,
        /** Readings do not match the header's Merkle root or seq range. */
        MERKLE,
        /** Two valid headers for one height. */
        EQUIVOCATION
    }

    private final Reason reason;

    public VerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return reason + ": " + getMessage();
    }
}
