package io.eiedge.ledger.peers;

import io.eiedge.ledger.verify.TrustedDevice;

import java.util.List;

/**
 * A run of one peer's headers after everything that needs no other header — form, signer,
 * signature, certificate — has been checked ({@link PeerHeaderStore#check}). That is nearly all of
 * a header's cost, and it needs neither the store's lock nor the order of the run, so a node can
 * check the next ranges of a sync while it stores the previous one. {@link PeerHeaderStore#accept}
 * then walks the run in order for links, duplicates and equivocation.
 *
 * <p>Each entry of {@code checks} is the decoded {@code SignedHeader} or a {@link PeerOutcome.Refused}.
 */
public record CheckedRun(TrustedDevice device, List<byte[]> coses, List<Object> checks) {
    public CheckedRun {
        coses = List.copyOf(coses);
        checks = List.copyOf(checks);
        if (coses.size() != checks.size()) {
            throw new IllegalArgumentException(coses.size() + " headers but " + checks.size() + " checks");
        }
    }

    public int size() {
        return coses.size();
    }
}
