package io.eiedge.ledger.peers;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.verify.VerificationException;

/** What the peer-header store did with one offered header. */
public sealed interface PeerOutcome {

    /** Verified, linked to the peer's previous header, stored. */
    record Accepted(SignedHeader header) implements PeerOutcome {
    }

    /** Already held, byte for byte: nothing changed. */
    record Duplicate(long height) implements PeerOutcome {
    }

    /**
     * Refused; nothing changed. {@code misbehaviour} is true when the header itself is bad
     * (forged, mislinked, wrongly signed), false when it is merely early or late (a gap).
     */
    record Refused(VerificationException.Reason reason, String why, boolean misbehaviour) implements PeerOutcome {
    }

    /** A second valid header for a height already held: evidence kept, the peer frozen. */
    record Equivocated(Equivocation evidence) implements PeerOutcome {
    }
}
