package io.eiedge.ledger.peers;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.ledger.verify.VerificationException.Reason;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import io.eiedge.ledger.store.SegmentLog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Other devices' headers, as this device verified them. A header is accepted only if it is
 * signed by the peer's certified key, names that certificate, and links to the peer's previous
 * header; a second valid header for a height already held is equivocation: both are kept as
 * evidence and the peer's chain is frozen until an operator clears it (or the registrar
 * revokes the peer). Persistent in MapDB; one transaction per {@link #acceptAll} batch.
 */
public final class PeerHeaderStore implements AutoCloseable {
    private final DB db;
    /** "deviceId\0height(19 digits)" → header COSE. */
    private final BTreeMap<String, byte[]> headers;
    private final BTreeMap<String, Long> tips;
    private final BTreeMap<String, Long> frozen;
    private final BTreeMap<String, Long> misbehaviour;
    private final BTreeMap<String, byte[]> evidence;
    /** Newest header accepted per peer since the last {@link #drainWitnesses()}; in memory only. */
    private final Map<String, Witness> unwitnessed = new TreeMap<>();

    private final Path evidenceDir;

    private PeerHeaderStore(DB db, Path evidenceDir) {
        this.db = db;
        this.evidenceDir = evidenceDir;
        headers = db.treeMap("peerHeaders", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        tips = db.treeMap("peerTips", Serializer.STRING, Serializer.LONG).createOrOpen();
        frozen = db.treeMap("peerFrozen", Serializer.STRING, Serializer.LONG).createOrOpen();
        misbehaviour = db.treeMap("peerMisbehaviour", Serializer.STRING, Serializer.LONG).createOrOpen();
        evidence = db.treeMap("peerEvidence", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
    }

    /**
     * Opens the store. Peer headers can always be synced again, so a store that cannot be opened
     * (MapDB's transactional files can be left unreadable by a SIGKILL mid-commit) is moved aside
     * as {@code <name>.corrupt-<time>} and started afresh — see {@link #recoveredFrom()} — rather
     * than keeping the node from starting. Equivocation evidence is also kept in an append-only
     * log beside it ({@code <name>.evidence}), replayed into a fresh store, so it is never lost.
     */
    public static PeerHeaderStore open(Path file) {
        Path aside = null;
        DB db;
        try {
            db = DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
        } catch (RuntimeException | AssertionError e) {
            aside = moveAside(file);
            db = DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
        }
        PeerHeaderStore store = new PeerHeaderStore(db, file.resolveSibling(file.getFileName() + ".evidence"));
        store.recoveredFrom = aside;
        store.replayEvidence();
        return store;
    }

    private static Path moveAside(Path file) {
        String stamp = "corrupt-" + System.currentTimeMillis();
        Path target = file.resolveSibling(file.getFileName() + "." + stamp);
        try (var siblings = java.nio.file.Files.list(file.toAbsolutePath().getParent())) {
            for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(file.getFileName().toString())
                    && !p.getFileName().toString().contains(".corrupt-") && !p.getFileName().toString().endsWith(".evidence")).toList()) {
                java.nio.file.Files.move(p, p.resolveSibling(p.getFileName() + "." + stamp));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot move the unreadable peer store " + file + " aside", e);
        }
        return target;
    }

    private Path recoveredFrom;

    /** Where an unreadable store was moved when this one was started afresh; null after a normal open. */
    public Path recoveredFrom() {
        return recoveredFrom;
    }

    /** Evidence held in the append-only log but not in the store (a fresh store) goes back in, and freezes again. */
    private void replayEvidence() {
        try (SegmentLog log = SegmentLog.openForReading(evidenceDir)) {
            for (long s : log.segments()) {
                log.scan(s, 0, f -> {
                    try {
                        Equivocation ev = Equivocation.decode(f.payload());
                        String k = key(ev.deviceId(), ev.height());
                        if (!evidence.containsKey(k)) {
                            evidence.put(k, f.payload());
                            frozen.put(ev.deviceId(), ev.height());
                        }
                    } catch (LedgerFormatException e) {
                        // a torn last frame is cut by the next writer; nothing else writes here
                    }
                });
            }
            db.commit();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the evidence log " + evidenceDir, e);
        }
    }

    private void keepEvidence(Equivocation ev) {
        try (SegmentLog log = SegmentLog.open(evidenceDir)) {
            log.append(ev.encode());
            log.sync();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot append to the evidence log " + evidenceDir, e);
        }
    }

    private static String key(String deviceId, long height) {
        return deviceId + '\0' + String.format("%019d", height);
    }

    public synchronized PeerOutcome accept(byte[] cose, TrustedDevice device) {
        PeerOutcome o = acceptOne(cose, device);
        db.commit();
        return o;
    }

    /** Offers a run of headers (e.g. one sync response) in one transaction; outcomes in order. */
    public synchronized List<PeerOutcome> acceptAll(List<byte[]> coses, TrustedDevice device) {
        List<PeerOutcome> out = new ArrayList<>(coses.size());
        for (byte[] c : coses) {
            out.add(acceptOne(c, device));
        }
        db.commit();
        return out;
    }

    private PeerOutcome acceptOne(byte[] cose, TrustedDevice device) {
        String peer = device.deviceId();
        SignedHeader h;
        try {
            h = SignedHeader.decode(cose);
        } catch (LedgerFormatException e) {
            return refuse(peer, Reason.FORMAT, e.getMessage(), true);
        }
        if (!h.deviceId().equals(peer)) {
            return refuse(peer, Reason.IDENTITY, "header claims device '" + h.deviceId() + "' but comes with the certificate of '" + peer + "'", true);
        }
        try {
            h.verify(device.key());
        } catch (SignatureException e) {
            return refuse(peer, Reason.SIGNATURE, peer + " header " + h.height() + ": " + e.getMessage(), true);
        }
        if (!h.header().certHash().equals(device.certificateHash())) {
            return refuse(peer, Reason.IDENTITY, peer + " header " + h.height() + " names another certificate than the one it was verified with", true);
        }
        byte[] held = headers.get(key(peer, h.height()));
        if (held != null) {
            if (Arrays.equals(held, cose)) {
                return new PeerOutcome.Duplicate(h.height());
            }
            Equivocation ev = new Equivocation(peer, h.height(), held, cose.clone());
            keepEvidence(ev); // on disk before anything else is decided
            evidence.put(key(peer, h.height()), ev.encode());
            frozen.put(peer, h.height());
            count(peer);
            unwitnessed.remove(peer);
            return new PeerOutcome.Equivocated(ev);
        }
        if (frozen.containsKey(peer)) {
            return refuse(peer, Reason.EQUIVOCATION, peer + " is frozen: it signed two headers for height " + frozen.get(peer)
                    + " (evidence kept; revoke or clear it)", false);
        }
        Long tip = tips.get(peer);
        if (tip == null) {
            if (h.height() != 0) {
                return refuse(peer, Reason.LINK, peer + ": first header must be its genesis (height 0), got " + h.height(), false);
            }
            try {
                LedgerVerifier.verifySegment(List.of(h));
            } catch (VerificationException e) {
                return refuse(peer, Reason.LINK, e.getMessage(), true);
            }
        } else if (h.height() > tip + 1) {
            return refuse(peer, Reason.LINK, peer + ": header " + h.height() + " leaves a gap after verified height " + tip, false);
        } else if (h.height() <= tip) {
            return refuse(peer, Reason.LINK, peer + ": header " + h.height() + " is older than the history kept here", false);
        } else {
            try {
                LedgerVerifier.verifyLink(SignedHeader.decode(headers.get(key(peer, tip))), h);
            } catch (VerificationException e) {
                return refuse(peer, Reason.LINK, e.getMessage(), true);
            } catch (LedgerFormatException e) {
                throw new IllegalStateException("stored peer header does not decode", e);
            }
        }
        headers.put(key(peer, h.height()), cose.clone());
        tips.put(peer, h.height());
        unwitnessed.put(peer, new Witness(peer, h.height(), h.hash()));
        return new PeerOutcome.Accepted(h);
    }

    private PeerOutcome refuse(String peer, Reason reason, String why, boolean misbehaves) {
        if (misbehaves) {
            count(peer);
        }
        return new PeerOutcome.Refused(reason, why, misbehaves);
    }

    private void count(String peer) {
        misbehaviour.merge(peer, 1L, Long::sum);
    }

    /** The newest verified header of each peer accepted since the last call — the next block's witnesses. */
    public synchronized List<Witness> drainWitnesses() {
        List<Witness> out = new ArrayList<>(unwitnessed.values());
        unwitnessed.clear();
        return out;
    }

    public synchronized PeerState state(String deviceId) {
        return new PeerState(deviceId, tips.getOrDefault(deviceId, -1L), frozen.containsKey(deviceId),
                misbehaviour.getOrDefault(deviceId, 0L));
    }

    public synchronized List<PeerState> states() {
        List<PeerState> out = new ArrayList<>();
        for (String id : tips.keySet()) {
            out.add(state(id));
        }
        for (String id : misbehaviour.keySet()) {
            if (!tips.containsKey(id)) {
                out.add(state(id));
            }
        }
        return out;
    }

    /** The newest verified header of a peer, if any. */
    public synchronized java.util.Optional<SignedHeader> tip(String deviceId) {
        Long tip = tips.get(deviceId);
        return tip == null ? java.util.Optional.empty() : java.util.Optional.of(decodeStored(headers.get(key(deviceId, tip))));
    }

    public synchronized List<SignedHeader> headers(String deviceId, long fromHeight, int max) {
        List<SignedHeader> out = new ArrayList<>();
        for (byte[] c : headers.subMap(key(deviceId, Math.max(0, fromHeight)), true, key(deviceId, Long.MAX_VALUE), true).values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(decodeStored(c));
        }
        return out;
    }

    public synchronized List<Equivocation> evidence(String deviceId) {
        List<Equivocation> out = new ArrayList<>();
        for (byte[] e : evidence.subMap(key(deviceId, 0), true, key(deviceId, Long.MAX_VALUE), true).values()) {
            try {
                out.add(Equivocation.decode(e));
            } catch (LedgerFormatException ex) {
                throw new IllegalStateException("stored evidence does not decode", ex);
            }
        }
        return out;
    }

    /**
     * An operator's decision after equivocation: unfreezes the peer and forgets its headers
     * from {@code fromHeight} on, so the chain it now serves can be synced again. Evidence stays.
     */
    public synchronized void clear(String deviceId, long fromHeight) {
        frozen.remove(deviceId);
        headers.subMap(key(deviceId, fromHeight), true, key(deviceId, Long.MAX_VALUE), true).clear();
        if (fromHeight <= 0) {
            tips.remove(deviceId);
        } else {
            tips.put(deviceId, fromHeight - 1);
        }
        db.commit();
    }

    /** Drops a peer's headers below {@code belowHeight}, always keeping its newest. */
    public synchronized int prune(String deviceId, long belowHeight) {
        Long tip = tips.get(deviceId);
        if (tip == null) {
            return 0;
        }
        var old = headers.subMap(key(deviceId, 0), true, key(deviceId, Math.min(belowHeight, tip)), false);
        int n = old.size();
        old.clear();
        db.commit();
        return n;
    }

    private static SignedHeader decodeStored(byte[] cose) {
        try {
            return SignedHeader.decode(cose);
        } catch (LedgerFormatException e) {
            throw new IllegalStateException("stored peer header does not decode", e);
        }
    }

    @Override
    public synchronized void close() {
        db.close();
    }
}
