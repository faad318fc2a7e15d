package io.eiedge.runtime.sync;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.peers.CheckedRun;
import io.eiedge.ledger.peers.Equivocation;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.ledger.peers.PeerOutcome;
import io.eiedge.ledger.verify.TrustedDevice;
import org.tinylog.Logger;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way peer headers come in — sync responses, Observe notifications, pushes (POST) and the
 * MQTT header topic all land here: checks of the sender (not us, our subnet, not revoked), sizes,
 * then the peer-header store's verification (signature, certificate, link, no conflict). An
 * equivocation's evidence goes to the alert sink at once; the store freezes the peer and counts it.
 */
public final class HeaderIntake {
    /** Largest header accepted: generous for a subnet's witnesses, far below COSE's 64 KiB bound. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_BATCH = 500;

    private final String ownId;
    private final String subnet;
    private final PeerHeaderStore store;
    private final Revocation revocation;
    private final PeerBook book;
    private final Consumer<byte[]> alerts;
    private final InstantSource clock;
    private final List<Consumer<Equivocation>> equivocationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public HeaderIntake(String ownId, String subnet, PeerHeaderStore store, Revocation revocation, PeerBook book,
                        Consumer<byte[]> alerts, InstantSource clock) {
        this.ownId = ownId;
        this.subnet = subnet;
        this.store = store;
        this.revocation = revocation;
        this.book = book;
        this.alerts = alerts;
        this.clock = clock;
    }

    public void onEquivocation(Consumer<Equivocation> listener) {
        equivocationListeners.add(listener);
    }

    /**
     * What happened to one offered run.
     *
     * @param refusal    the first refusal's reason, if any
     * @param behind     a header came early (a gap after what we hold): the caller should catch up
     */
    public record Result(int accepted, int duplicates, Optional<String> refusal, boolean misbehaviour, boolean behind,
                         Optional<Equivocation> equivocation, long verifiedHeight) {
        public boolean allTaken() {
            return refusal.isEmpty() && equivocation.isEmpty();
        }
    }

    /**
     * A run ready to be offered: refused before any check ({@code early}: sender, subnet, sizes),
     * or checked header by header ({@code run}, null when refused early). Preparing is the costly
     * part (signatures) and takes no lock.
     */
    public record Prepared(TrustedDevice device, Optional<String> early, CheckedRun run) {
    }

    /** Checks a run of {@code device}'s headers, on every core if {@code parallel}; any thread may call it. */
    public Prepared prepare(TrustedDevice device, List<byte[]> coses, boolean parallel) {
        Optional<String> early = precheck(device, coses);
        if (early.isPresent()) {
            return new Prepared(device, early, null);
        }
        return new Prepared(device, early, PeerHeaderStore.check(coses, device, parallel));
    }

    /**
     * Offers headers of {@code device}, received {@code via} (for the logs: "sync 10.0.0.5", "push", "mqtt").
     */
    public Result offer(String via, TrustedDevice device, List<byte[]> coses) {
        return offer(via, prepare(device, coses, coses.size() > 1));
    }

    /** Offers a prepared run: in order against what the store holds (links, duplicates, equivocation). */
    public Result offer(String via, Prepared prepared) {
        TrustedDevice device = prepared.device();
        String peer = device.deviceId();
        // revocation is asked again: the CRL may have changed while the run was being checked
        Optional<String> early = prepared.early().or(() -> revocation.isRevoked(device)
                ? Optional.of(peer + " is revoked by the registrar's CRL") : Optional.empty());
        if (early.isPresent()) {
            book.refusedEarly(peer);
            book.problem(peer, early.get());
            Logger.warn("peer {} via {}: refused: {}", peer, via, early.get());
            return new Result(0, 0, early, true, false, Optional.empty(), store.state(peer).verifiedHeight());
        }
        List<PeerOutcome> outcomes = store.accept(prepared.run());
        int accepted = 0;
        int duplicates = 0;
        String refusal = null;
        boolean misbehaviour = false;
        boolean behind = false;
        Equivocation evidence = null;
        for (PeerOutcome o : outcomes) {
            switch (o) {
                case PeerOutcome.Accepted a -> accepted++;
                case PeerOutcome.Duplicate d -> duplicates++;
                case PeerOutcome.Refused r -> {
                    if (refusal == null) {
                        refusal = r.reason() + ": " + r.why();
                    }
                    misbehaviour |= r.misbehaviour();
                    behind |= !r.misbehaviour() && r.why().contains("gap");
                }
                case PeerOutcome.Equivocated e -> {
                    if (evidence == null) {
                        evidence = e.evidence();
                    }
                }
            }
        }
        book.trusted(device, clock.millis());
        if (evidence != null) {
            Logger.error("peer {} via {}: EQUIVOCATION at height {}: two validly signed headers; evidence kept and published,"
                    + " the peer is frozen until revoked or cleared", peer, via, evidence.height());
            book.problem(peer, "equivocated at height " + evidence.height() + " (frozen)");
            try {
                alerts.accept(evidence.encode());
            } catch (RuntimeException e) {
                Logger.error(e, "publishing the equivocation evidence of {}", peer);
            }
            Equivocation ev = evidence;
            equivocationListeners.forEach(l -> l.accept(ev));
        } else if (refusal != null && misbehaviour) {
            Logger.warn("peer {} via {}: {} header(s) accepted, then refused: {}", peer, via, accepted, refusal);
            book.problem(peer, refusal);
        } else if (refusal != null) {
            Logger.debug("peer {} via {}: {} accepted, then {}", peer, via, accepted, refusal);
        }
        return new Result(accepted, duplicates, Optional.ofNullable(refusal), misbehaviour, behind,
                Optional.ofNullable(evidence), store.state(peer).verifiedHeight());
    }

    private Optional<String> precheck(TrustedDevice device, List<byte[]> coses) {
        if (device.deviceId().equals(ownId)) {
            return Optional.of("headers of " + ownId + " are this node's own; a peer may not offer them");
        }
        if (!device.subnet().equals(subnet)) {
            return Optional.of(device.deviceId() + " belongs to subnet " + device.subnet() + ", this node witnesses subnet " + subnet);
        }
        if (revocation.isRevoked(device)) {
            return Optional.of(device.deviceId() + " is revoked by the registrar's CRL");
        }
        if (coses.size() > MAX_BATCH) {
            return Optional.of(coses.size() + " headers in one message, at most " + MAX_BATCH);
        }
        for (int i = 0; i < coses.size(); i++) {
            if (coses.get(i).length > MAX_HEADER_BYTES) {
                return Optional.of("header " + i + " of the message is " + coses.get(i).length + " bytes, at most " + MAX_HEADER_BYTES);
            }
        }
        return Optional.empty();
    }

    /** The newest verified header of a peer, or empty. */
    public Optional<SignedHeader> tip(String deviceId) {
        return store.tip(deviceId);
    }

    public long verifiedHeight(String deviceId) {
        return store.state(deviceId).verifiedHeight();
    }

    public PeerHeaderStore store() {
        return store;
    }

    static List<byte[]> one(byte[] cose) {
        List<byte[]> l = new ArrayList<>(1);
        l.add(cose);
        return l;
    }
}
