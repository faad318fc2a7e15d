package io.eiedge.ledger.peers;

/** One peer as the store sees it: newest verified height (-1 if none), frozen by equivocation, misbehaviour count. */
public record PeerState(String deviceId, long verifiedHeight, boolean frozen, long misbehaviour) {
}
