package io.eiedge.ledger.peers;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.ledger.verify.VerificationException.Reason;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Other devices' headers, as this device verified them. A header is accepted only if it is
 * signed by the peer's certified key, names that certificate, and links to the peer's previous
 * header; a second valid header for a height already held is equivocation: both are kept as
 * evidence and the peer's chain is frozen until an operator clears it (or the registrar
 * revokes the peer).
 *
 * <p>Storage is one folder per peer of append-only files ({@link PeerLog}), fsynced once per
 * accepted run, with each peer's newest header kept decoded in memory: accepting a
 * header costs about one signature check. (An earlier MapDB version spent ~0.7 ms per header in
 * lookups and puts, and MapDB's files can be left unreadable by a SIGKILL mid-commit.)
 */
public final class PeerHeaderStore implements AutoCloseable {
    /** Device ids as the registrar issues them; anything else is stored under a hex name. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path root;
    private final Map<String, PeerLog> peers = new TreeMap<>();
    /** Newest header accepted per peer since the last {@link #drainWitnesses()}; in memory only. */
    private final Map<String, Witness> unwitnessed = new TreeMap<>();
    private Path recoveredFrom;

    private PeerHeaderStore(Path root) {
        this.root = root;
    }

    /**
     * Opens the store in folder {@code dir}, loading every peer's newest header. A regular file
     * at that path (the former MapDB store) is moved aside as {@code <name>.corrupt-<time>} and
     * reported by {@link #recoveredFrom()}: peers' headers are synced again.
     */
    public static PeerHeaderStore open(Path dir) {
        PeerHeaderStore store = new PeerHeaderStore(dir);
        try {
            if (Files.isRegularFile(dir)) {
                store.recoveredFrom = dir.resolveSibling(dir.getFileName() + ".corrupt-" + System.currentTimeMillis());
                Files.move(dir, store.recoveredFrom);
            }
            Files.createDirectories(dir);
            try (var folders = Files.list(dir)) {
                for (Path p : folders.filter(Files::isDirectory).toList()) {
                    String id = idOf(p.getFileName().toString());
                    store.peers.put(id, PeerLog.open(id, p));
                }
            }
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("cannot open the peer-header store in " + dir + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** Where an unusable former store was moved when this one was opened; null normally. */
    public Path recoveredFrom() {
        return recoveredFrom;
    }

    private static String folderOf(String deviceId) {
        return SAFE_NAME.matcher(deviceId).matches() ? deviceId : "hex-" + HexFormat.of().formatHex(deviceId.getBytes());
    }

    private static String idOf(String folder) {
        return folder.startsWith("hex-") ? new String(HexFormat.of().parseHex(folder.substring(4))) : folder;
    }

    private PeerLog log(String deviceId) throws IOException {
        PeerLog log = peers.get(deviceId);
        if (log == null) {
            log = PeerLog.open(deviceId, root.resolve(folderOf(deviceId)));
            peers.put(deviceId, log);
        }
        return log;
    }

    public PeerOutcome accept(byte[] cose, TrustedDevice device) {
        return acceptAll(List.of(cose), device).get(0);
    }

    /** Offers a run of headers (e.g. one sync response); one fsync for the run; outcomes in order. */
    public List<PeerOutcome> acceptAll(List<byte[]> coses, TrustedDevice device) {
        return accept(check(coses, device, coses.size() > 1));
    }

    /**
     * Checks a run's headers each on its own (see {@link CheckedRun}); with {@code parallel} on
     * every core — signatures are independent of each other. Needs no lock: call it from any thread.
     */
    public static CheckedRun check(List<byte[]> coses, TrustedDevice device, boolean parallel) {
        List<Object> checked = parallel ? coses.parallelStream().map(c -> check(c, device)).toList()
                : coses.stream().map(c -> check(c, device)).toList();
        return new CheckedRun(device, coses, checked);
    }

    /** Walks a checked run in order — links, duplicates, equivocation — and stores it; one fsync for the run. */
    public synchronized List<PeerOutcome> accept(CheckedRun run) {
        try {
            TrustedDevice device = run.device();
            PeerLog log = log(device.deviceId());
            List<PeerOutcome> out = new ArrayList<>(run.size());
            boolean appended = false;
            for (int i = 0; i < run.size(); i++) {
                Object c = run.checks().get(i);
                PeerOutcome o = c instanceof PeerOutcome.Refused r ? refuse(log, r.reason(), r.why(), r.misbehaviour())
                        : acceptChecked(run.coses().get(i), (SignedHeader) c, device, log);
                appended |= o instanceof PeerOutcome.Accepted;
                out.add(o);
            }
            if (appended) {
                log.sync();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("peer-header store: " + e.getMessage(), e);
        }
    }

    /** Everything about one header that needs no other header: its form, signer, signature, certificate. */
    private static Object check(byte[] cose, TrustedDevice device) {
        String peer = device.deviceId();
        SignedHeader h;
        try {
            h = SignedHeader.decode(cose);
        } catch (LedgerFormatException e) {
            return new PeerOutcome.Refused(Reason.FORMAT, e.getMessage(), true);
        }
        if (!h.deviceId().equals(peer)) {
            return new PeerOutcome.Refused(Reason.IDENTITY, "header claims device '" + h.deviceId()
                    + "' but comes with the certificate of '" + peer + "'", true);
        }
        try {
            h.verify(device.key());
        } catch (SignatureException e) {
            return new PeerOutcome.Refused(Reason.SIGNATURE, peer + " header " + h.height() + ": " + e.getMessage(), true);
        }
        if (!h.header().certHash().equals(device.certificateHash())) {
            return new PeerOutcome.Refused(Reason.IDENTITY, peer + " header " + h.height()
                    + " names another certificate than the one it was verified with", true);
        }
        return h;
    }

    private PeerOutcome acceptChecked(byte[] cose, SignedHeader h, TrustedDevice device, PeerLog log) throws IOException {
        String peer = device.deviceId();
        long tip = log.tipHeight();
        if (h.height() <= tip) {
            byte[] held = log.read(h.height());
            if (held != null) {
                if (Arrays.equals(held, cose)) {
                    return new PeerOutcome.Duplicate(h.height());
                }
                Equivocation ev = new Equivocation(peer, h.height(), held, cose.clone());
                log.keepEvidence(ev); // on disk before anything else is decided
                log.freeze(h.height());
                log.countMisbehaviour();
                unwitnessed.remove(peer);
                return new PeerOutcome.Equivocated(ev);
            }
        }
        if (log.frozenAt() >= 0) {
            return refuse(log, Reason.EQUIVOCATION, peer + " is frozen: it signed two headers for height " + log.frozenAt()
                    + " (evidence kept; revoke or clear it)", false);
        }
        if (tip < 0) {
            if (h.height() != 0) {
                return refuse(log, Reason.LINK, peer + ": first header must be its genesis (height 0), got " + h.height(), false);
            }
            try {
                LedgerVerifier.verifySegment(List.of(h));
            } catch (VerificationException e) {
                return refuse(log, Reason.LINK, e.getMessage(), true);
            }
        } else if (h.height() > tip + 1) {
            return refuse(log, Reason.LINK, peer + ": header " + h.height() + " leaves a gap after verified height " + tip, false);
        } else if (h.height() <= tip) {
            return refuse(log, Reason.LINK, peer + ": header " + h.height() + " is older than the history kept here", false);
        } else {
            try {
                LedgerVerifier.verifyLink(log.tip(), h);
            } catch (VerificationException e) {
                return refuse(log, Reason.LINK, e.getMessage(), true);
            }
        }
        log.append(h);
        unwitnessed.put(peer, new Witness(peer, h.height(), h.hash()));
        return new PeerOutcome.Accepted(h);
    }

    private static PeerOutcome refuse(PeerLog log, Reason reason, String why, boolean misbehaves) throws IOException {
        if (misbehaves) {
            log.countMisbehaviour();
        }
        return new PeerOutcome.Refused(reason, why, misbehaves);
    }

    /** The newest verified header of each peer accepted since the last call — the next block's witnesses. */
    public synchronized List<Witness> drainWitnesses() {
        List<Witness> out = new ArrayList<>(unwitnessed.values());
        unwitnessed.clear();
        return out;
    }

    public synchronized PeerState state(String deviceId) {
        PeerLog log = peers.get(deviceId);
        return log == null ? new PeerState(deviceId, -1, false, 0)
                : new PeerState(deviceId, log.tipHeight(), log.frozenAt() >= 0, log.misbehaviour());
    }

    public synchronized List<PeerState> states() {
        return peers.keySet().stream().map(this::state).toList();
    }

    /** The newest verified header of a peer, if any. */
    public synchronized Optional<SignedHeader> tip(String deviceId) {
        PeerLog log = peers.get(deviceId);
        return log == null ? Optional.empty() : Optional.ofNullable(log.tip());
    }

    public synchronized List<SignedHeader> headers(String deviceId, long fromHeight, int max) {
        List<SignedHeader> out = new ArrayList<>();
        PeerLog log = peers.get(deviceId);
        if (log == null) {
            return out;
        }
        try {
            for (long h = Math.max(0, fromHeight); h <= log.tipHeight() && out.size() < max; h++) {
                byte[] c = log.read(h);
                if (c != null) {
                    out.add(SignedHeader.decode(c));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("peer-header store: " + e.getMessage(), e);
        } catch (LedgerFormatException e) {
            throw new IllegalStateException("stored peer header does not decode", e);
        }
        return out;
    }

    public synchronized List<Equivocation> evidence(String deviceId) {
        PeerLog log = peers.get(deviceId);
        try {
            return log == null ? List.of() : log.evidence();
        } catch (IOException e) {
            throw new UncheckedIOException("peer-header store: " + e.getMessage(), e);
        }
    }

    /**
     * An operator's decision after equivocation: unfreezes the peer and forgets its headers
     * from {@code fromHeight} on, so the chain it now serves can be synced again. Evidence stays.
     */
    public synchronized void clear(String deviceId, long fromHeight) {
        try {
            log(deviceId).clear(fromHeight);
        } catch (IOException e) {
            throw new UncheckedIOException("peer-header store: " + e.getMessage(), e);
        }
    }

    /** Drops a peer's headers below {@code belowHeight}, always keeping its newest. */
    public synchronized int prune(String deviceId, long belowHeight) {
        PeerLog log = peers.get(deviceId);
        try {
            return log == null ? 0 : log.prune(belowHeight);
        } catch (IOException e) {
            throw new UncheckedIOException("peer-header store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        for (PeerLog log : peers.values()) {
            try {
                log.close();
            } catch (IOException e) {
                // closing: nothing left to protect; the next open cuts what did not reach the disk
            }
        }
        peers.clear();
    }
}
