package io.eiedge.ledger.chain;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.InclusionProof;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.store.AtomicFiles;
import io.eiedge.ledger.store.SegmentLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A device's own chain: appends readings (assigning seq, signing, persisting), seals them
 * into blocks by policy, and answers for them later.
 *
 * <p>Durability: {@link #append} returns only after its readings are fsynced. Concurrent
 * appenders share one fsync (group commit), and a caller that hands a whole poll cycle to one
 * {@code append} call pays one fsync for it. Reading bodies live in CRC-framed segment files,
 * headers in their own append-only log, and a MapDB index points into both; after a crash the
 * logs are the truth and the index is brought up to them.
 *
 * <p>Thread-safe.
 */
public final class Chain implements AutoCloseable {
    /** The device a chain folder belongs to, written once at creation. */
    private static final String DEVICE_FILE = "device";

    private final ChainIdentity identity;
    private final Hash32 certHash;
    private final BlockPolicy policy;
    private final Retention retention;
    private final Supplier<List<Witness>> witnesses;
    private final InstantSource clock;
    private final SegmentLog readings;
    private final SegmentLog headers;
    private final BlockIndex index;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Consumer<SignedHeader>> sealListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private EnergySummary summary;
    private SignedHeader head;
    private long nextSeq;
    private long pendingStartSegment;
    private long pendingStartOffset;

    // group commit: frames written vs frames known durable
    private final Object syncMonitor = new Object();
    private long written;
    private long durable;
    private boolean syncing;

    private record Pending(SignedReading reading, Hash32 leafHash, long segment, long offset) {
    }

    private final Path dir;

    private Chain(Path dir, ChainIdentity identity, BlockPolicy policy, Retention retention, Supplier<List<Witness>> witnesses,
                  InstantSource clock, SegmentLog readings, SegmentLog headers, BlockIndex index) {
        this.dir = dir;
        this.identity = identity;
        this.certHash = identity.certificateHash();
        this.policy = policy;
        this.retention = retention;
        this.witnesses = witnesses;
        this.clock = clock;
        this.readings = readings;
        this.headers = headers;
        this.index = index;
    }

    /**
     * Opens the chain in {@code dir}, creating it with a genesis header when new and
     * recovering after a crash (torn tail cut, unsealed readings reloaded, index caught up).
     *
     * @param witnesses asked at every seal for the newest verified peer headers
     */
    public static Chain open(Path dir, ChainIdentity identity, BlockPolicy policy, Retention retention,
                             Supplier<List<Witness>> witnesses, InstantSource clock) throws LedgerStoreException {
        SegmentLog readings = null;
        SegmentLog headers = null;
        BlockIndex index = null;
        try {
            Files.createDirectories(dir);
            readings = SegmentLog.open(dir.resolve("readings"));
            headers = SegmentLog.open(dir.resolve("headers"));
            index = BlockIndex.open(dir.resolve("blocks.idx"));
            Chain chain = new Chain(dir, identity, policy, retention, witnesses, clock, readings, headers, index);
            chain.recover();
            return chain;
        } catch (IOException | RuntimeException e) {
            closeQuietly(readings, headers, index);
            throw new LedgerStoreException("cannot open the chain in " + dir + ": " + e.getMessage(), e);
        } catch (LedgerStoreException e) {
            closeQuietly(readings, headers, index);
            throw e;
        }
    }

    private static void closeQuietly(SegmentLog readings, SegmentLog headers, BlockIndex index) {
        for (AutoCloseable c : new AutoCloseable[]{readings, headers, index}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    private void recover() throws IOException, LedgerStoreException {
        Path deviceFile = dir.resolve(DEVICE_FILE);
        if (Files.exists(deviceFile)) {
            String owner = Files.readString(deviceFile, StandardCharsets.UTF_8).trim();
            if (!owner.equals(identity.deviceId())) {
                throw new LedgerStoreException("this ledger belongs to device '" + owner + "', not '" + identity.deviceId() + "'");
            }
        } else {
            AtomicFiles.write(deviceFile, (identity.deviceId() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ChainAudit.keepCertificate(dir, certHash, identity.certificateDer());

        // 1. headers in the header log that the index has not seen yet (a crash between the two)
        long lastIndexed = index.size() - 1;
        long headerScanFrom = lastIndexed < 0 ? 0 : index.get(lastIndexed).headerOffset();
        List<SignedHeader> logged = new ArrayList<>();
        List<Long> headerOffsets = new ArrayList<>();
        var headerEnd = headers.scan(headers.currentSegment(), headerScanFrom, f -> {
            logged.add(decodeHeader(f.payload()));
            headerOffsets.add(f.offset());
        });
        if (lastIndexed >= 0) {
            if (logged.isEmpty() || logged.get(0).height() != lastIndexed) {
                throw new LedgerStoreException("the block index names header " + lastIndexed + " at offset " + headerScanFrom
                        + " of the header log, which holds no such header");
            }
            head = logged.remove(0); // the last indexed header itself
            headerOffsets.remove(0);
        }
        if (headerEnd.torn()) { // the header log was opened (torn tail cut) before this scan: any stop is damage
            throw new LedgerStoreException("header log is damaged at offset " + headerEnd.end());
        }

        // where unsealed readings start
        long segment;
        long offset;
        if (head == null || head.height() == 0) {
            segment = readings.segments().get(0);
            offset = 0;
        } else {
            BlockIndex.Entry e = index.get(head.height());
            segment = e.segment();
            offset = e.end();
        }
        // 2. all readings after the last indexed block, in order
        List<Pending> tail = new ArrayList<>();
        for (long s : readings.segments()) {
            if (s < segment) {
                continue;
            }
            long from = s == segment ? offset : 0;
            final long seg = s;
            var end = readings.scan(s, from, f -> tail.add(new Pending(decodeReading(f.payload()),
                    MerkleTree.leafHash(f.payload()), seg, f.offset())));
            if (end.damaged() || (end.torn() && s != readings.currentSegment())) {
                throw new LedgerStoreException("reading segment " + s + " is damaged at offset " + end.end());
            }
        }
        // 3. index the logged-but-unindexed headers, taking their readings off the tail
        int used = 0;
        for (int i = 0; i < logged.size(); i++) {
            SignedHeader h = logged.get(i);
            int count = (int) h.header().count();
            if (count > 0 && (used >= tail.size() || tail.get(used).reading().seq() > h.header().firstSeq())) {
                // rebuilding after retention removed this block's bodies: index it as pruned
                long gone = readings.segments().get(0) - 1;
                index.append(new BlockIndex.Entry(h.height(), h.header().firstSeq(), count, gone, 0, 0, headerOffsets.get(i)));
                head = h;
                continue;
            }
            // an empty block (genesis, a seal with nothing pending) takes nothing off the tail, which may be empty
            if (count > 0 && (used + count > tail.size() || tail.get(used).reading().seq() != h.header().firstSeq())) {
                throw new LedgerStoreException("header " + h.height() + " commits to seq " + h.header().firstSeq() + ".."
                        + (h.header().nextSeq() - 1) + ", which the reading segments do not hold in order");
            }
            BlockIndex.Entry e = count == 0
                    ? new BlockIndex.Entry(h.height(), h.header().firstSeq(), 0, segment, offset, offset, headerOffsets.get(i))
                    : new BlockIndex.Entry(h.height(), h.header().firstSeq(), count, tail.get(used).segment(),
                    tail.get(used).offset(), endOf(tail.get(used + count - 1)), headerOffsets.get(i));
            index.append(e);
            segment = e.segment();
            offset = e.end();
            used += count;
            head = h;
        }
        index.sync();

        if (head == null) {
            writeGenesis();
        }
        pending.addAll(tail.subList(used, tail.size()));
        pendingStartSegment = pending.isEmpty() ? readings.currentSegment() : pending.get(0).segment();
        pendingStartOffset = pending.isEmpty() ? readings.currentSize() : pending.get(0).offset();
        nextSeq = head.header().nextSeq();
        summary = new EnergySummary(head.header().summary());
        for (Pending p : pending) {
            Reading r = p.reading().reading();
            if (r.seq() != nextSeq || !r.deviceId().equals(identity.deviceId())) {
                throw new LedgerStoreException("unsealed reading in segment " + p.segment() + " at " + p.offset()
                        + " has seq " + r.seq() + " of '" + r.deviceId() + "', expected seq " + nextSeq);
            }
            summary.apply(r);
            nextSeq++;
        }
    }

    private static long endOf(Pending p) {
        return p.offset() + 8 + p.reading().cose().encodedLength();
    }

    private void writeGenesis() throws IOException {
        Header genesis = new Header(identity.deviceId(), 0, Hash32.ZERO, MerkleTree.root(List.of()), 1, 0,
                clock.millis(), Collections.emptySortedMap(), List.of(), certHash);
        SignedHeader signed = SignedHeader.sign(genesis, identity.key());
        long headerOffset = headers.append(signed.cose().encoded());
        headers.sync();
        index.append(new BlockIndex.Entry(0, 1, 0, readings.currentSegment(), 0, 0, headerOffset));
        index.sync();
        head = signed;
    }

    /** Tells {@code listener} how long every fsync of the reading and header logs takes (one listener; the last set wins). */
    public void onFsync(io.eiedge.ledger.store.FsyncListener listener) {
        readings.onFsync(listener);
        headers.onFsync(listener);
    }

    /** Registers a listener called (under the chain's lock, keep it short) with every newly sealed header. */
    public void onSeal(Consumer<SignedHeader> listener) {
        sealListeners.add(listener);
    }

    /**
     * Appends one reading per draft, in order, and returns them signed once they are durable.
     * Seals a block whenever the block policy's reading count is reached.
     */
    public List<SignedReading> append(List<ReadingDraft> drafts) throws LedgerStoreException {
        List<SignedReading> out = new ArrayList<>(drafts.size());
        long target;
        lock.lock();
        try {
            // frames of this call are written together, one write per call instead of one per reading
            List<byte[]> unwritten = new ArrayList<>(drafts.size());
            long seg = readings.currentSegment();
            long offset = readings.currentSize();
            try {
                for (ReadingDraft d : drafts) {
                    Reading r = new Reading(identity.deviceId(), d.meterId(), nextSeq, d.timeMs(), d.clock(), d.values(), d.quality());
                    SignedReading signed = SignedReading.sign(r, identity.key());
                    byte[] cose = signed.cose().encoded();
                    if (pending.isEmpty()) {
                        pendingStartSegment = seg;
                        pendingStartOffset = offset;
                    }
                    pending.add(new Pending(signed, MerkleTree.leafHash(cose), seg, offset));
                    unwritten.add(cose);
                    offset += SegmentLog.FRAME_OVERHEAD + cose.length;
                    summary.apply(r);
                    nextSeq++;
                    written++;
                    out.add(signed);
                    if (pending.size() >= policy.maxReadings()) {
                        readings.appendAll(unwritten);
                        unwritten.clear();
                        sealLocked(clock.millis());
                        seg = readings.currentSegment(); // the seal may have rolled the segment
                        offset = readings.currentSize();
                    }
                }
            } finally {
                readings.appendAll(unwritten); // also what was signed before a refused draft
            }
            target = written;
        } catch (IOException e) {
            throw new LedgerStoreException("append failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        awaitDurable(target);
        return out;
    }

    public SignedReading append(ReadingDraft draft) throws LedgerStoreException {
        return append(List.of(draft)).get(0);
    }

    /** Waits until frame {@code target} is on disk; one caller fsyncs for everybody waiting. */
    private void awaitDurable(long target) throws LedgerStoreException {
        while (true) {
            synchronized (syncMonitor) {
                while (durable < target && syncing) {
                    try {
                        syncMonitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new LedgerStoreException("interrupted while waiting for fsync");
                    }
                }
                if (durable >= target) {
                    return;
                }
                syncing = true; // this caller leads the next fsync
            }
            long upTo;
            lock.lock();
            try {
                upTo = written;
            } finally {
                lock.unlock();
            }
            IOException failure = null;
            try {
                readings.sync();
            } catch (IOException e) {
                failure = e;
            }
            synchronized (syncMonitor) {
                syncing = false;
                if (failure == null) {
                    durable = Math.max(durable, upTo);
                }
                syncMonitor.notifyAll();
            }
            if (failure != null) {
                throw new LedgerStoreException("fsync of the reading log failed: " + failure.getMessage(), failure);
            }
        }
    }

    /** Seals a block if the policy says so (age of the open block); returns the new header if it did. */
    public Optional<SignedHeader> sealIfDue(long nowMs) throws LedgerStoreException {
        lock.lock();
        try {
            if (pending.size() >= policy.maxReadings() || nowMs - head.header().sealedAtMs() >= policy.maxAge().toMillis()) {
                return Optional.of(sealLocked(nowMs));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new LedgerStoreException("seal failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Seals whatever is pending (possibly nothing) into a new block now. */
    public SignedHeader seal() throws LedgerStoreException {
        lock.lock();
        try {
            return sealLocked(clock.millis());
        } catch (IOException e) {
            throw new LedgerStoreException("seal failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private SignedHeader sealLocked(long nowMs) throws IOException {
        readings.sync(); // a header never commits to readings that are not on disk
        List<Hash32> leaves = pending.stream().map(Pending::leafHash).toList();
        Header prev = head.header();
        long sealedAt = Math.max(nowMs, prev.sealedAtMs());
        Header h = new Header(identity.deviceId(), prev.height() + 1, head.hash(), MerkleTree.root(leaves),
                prev.nextSeq(), pending.size(), sealedAt, summary.snapshot(), witnesses.get(), certHash);
        SignedHeader signed = SignedHeader.sign(h, identity.key());
        long headerOffset = headers.append(signed.cose().encoded());
        headers.sync();
        long seg = pending.isEmpty() ? readings.currentSegment() : pendingStartSegment;
        long start = pending.isEmpty() ? readings.currentSize() : pendingStartOffset;
        long end = pending.isEmpty() ? start : endOf(pending.get(pending.size() - 1));
        index.append(new BlockIndex.Entry(h.height(), h.firstSeq(), h.count(), seg, start, end, headerOffset));
        index.sync();
        head = signed;
        pending.clear();
        synchronized (syncMonitor) {
            durable = Math.max(durable, written); // the seal's fsync covered everything written
            syncMonitor.notifyAll();
        }
        if (readings.currentSize() >= retention.segmentBytes()) {
            readings.roll();
        }
        for (Consumer<SignedHeader> l : sealListeners) {
            l.accept(signed);
        }
        return signed;
    }

    public SignedHeader head() {
        lock.lock();
        try {
            return head;
        } finally {
            lock.unlock();
        }
    }

    public long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    public int unsealedCount() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    public String deviceId() {
        return identity.deviceId();
    }

    public Hash32 certificateHash() {
        return certHash;
    }

    /** The certificate whose SHA-256 is {@code hash}, if this chain was ever signed under it. */
    public Optional<byte[]> certificate(Hash32 hash) {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve("certs").resolve(hash.hex() + ".der")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Headers from {@code fromHeight}, at most {@code max}, oldest first. */
    public List<SignedHeader> headers(long fromHeight, int max) throws LedgerStoreException {
        List<SignedHeader> out = new ArrayList<>();
        for (byte[] cose : encodedHeaders(fromHeight, max)) {
            out.add(decodeHeader(cose));
        }
        return out;
    }

    /**
     * The same headers as {@link #headers}, as the COSE bytes held in the header log (each frame
     * CRC-checked on reading): what a peer asks for, without decoding what it will verify anyway.
     */
    public List<byte[]> encodedHeaders(long fromHeight, int max) throws LedgerStoreException {
        List<byte[]> out = new ArrayList<>();
        long last = head().height();
        try {
            for (long h = Math.max(0, fromHeight); h <= last && out.size() < max; h++) {
                out.add(headers.read(headers.currentSegment(), index.get(h).headerOffset()));
            }
        } catch (IOException e) {
            throw new LedgerStoreException("reading headers failed: " + e.getMessage(), e);
        }
        return out;
    }

    /** Looks one reading up, with its inclusion proof when it is sealed. */
    public ReadingLookup reading(long seq) throws LedgerStoreException {
        lock.lock();
        try {
            if (seq < 1 || seq >= nextSeq) {
                return new ReadingLookup.Unknown(seq);
            }
            long firstPending = head.header().nextSeq();
            if (seq >= firstPending) {
                return new ReadingLookup.Unsealed(pending.get((int) (seq - firstPending)).reading());
            }
            long height = index.heightForSeq(seq);
            if (height < 0) {
                return new ReadingLookup.Unknown(seq);
            }
            BlockIndex.Entry loc = index.get(height);
            if (!readings.exists(loc.segment())) {
                return new ReadingLookup.Pruned(seq, height);
            }
            List<byte[]> block = readBlock(loc);
            SignedHeader header = decodeHeader(headers.read(headers.currentSegment(), loc.headerOffset()));
            int i = (int) (seq - header.header().firstSeq());
            List<Hash32> leaves = MerkleTree.leafHashes(block);
            InclusionProof proof = new InclusionProof(height, i, block.size(), MerkleTree.inclusionPath(leaves, i));
            return new ReadingLookup.Found(decodeReading(block.get(i)), proof, header);
        } catch (IOException e) {
            throw new LedgerStoreException("reading seq " + seq + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Where the last {@link #readingsFrom} stopped, so a sequential reader (the outbox) never rescans a block. */
    private record ReadHint(long seq, long segment, long offset, long end) {
    }

    private volatile ReadHint hint;

    /** One stretch of consecutive frames in one segment, starting with seq {@code firstSeq}. */
    private record Stretch(long segment, long start, long end, long firstSeq) {
    }

    /**
     * Readings from {@code seq} on (sealed or not), at most {@code max}, in seq order — what an
     * outbox drains. Starts at the oldest kept reading if {@code seq} was pruned. Sealed bodies are
     * read outside the chain's lock (they never change), so a slow reader never holds up appends.
     */
    public List<SignedReading> readingsFrom(long seq, int max) throws LedgerStoreException {
        long wanted = Math.max(seq, 1);
        ReadPlan plan;
        lock.lock();
        try {
            plan = planRead(wanted, max);
        } catch (IOException e) {
            throw new LedgerStoreException("reading from seq " + seq + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        List<SignedReading> out = new ArrayList<>();
        try {
            for (Stretch st : plan.sealed()) {
                if (out.size() >= max) {
                    break;
                }
                long[] seqAt = {st.firstSeq()};
                readings.scan(st.segment(), st.start(), f -> {
                    if (f.offset() >= st.end() || out.size() >= max) {
                        throw new SegmentLog.StopScan();
                    }
                    long frameSeq = seqAt[0]++;
                    if (frameSeq >= wanted) { // earlier frames are skipped without decoding
                        out.add(decodeReading(f.payload()));
                        hint = new ReadHint(frameSeq + 1, st.segment(), f.next(), st.end());
                    }
                });
            }
        } catch (IOException e) {
            if (out.isEmpty()) {
                throw new LedgerStoreException("reading from seq " + seq + " failed: " + e.getMessage(), e);
            }
            return out; // a segment pruned meanwhile: what was read is still in order
        }
        for (SignedReading r : plan.unsealed()) {
            if (out.size() >= max) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    private record ReadPlan(List<Stretch> sealed, List<SignedReading> unsealed) {
    }

    /** Under the lock: which sealed stretches to scan and which unsealed readings follow them. */
    private ReadPlan planRead(long wanted, int max) throws IOException {
        List<Stretch> plan = new ArrayList<>();
        List<SignedReading> unsealed = new ArrayList<>();
        long firstPending = head.header().nextSeq();
        long planned = 0;
        if (wanted < firstPending) {
            ReadHint h0 = hint;
            long height = index.heightForSeq(wanted);
            for (long h = Math.max(1, height), last = head.height(); h <= last && planned < max; h++) {
                BlockIndex.Entry loc = index.get(h);
                if (loc.count() == 0 || !readings.exists(loc.segment())) {
                    continue; // empty, or pruned: the caller sees the jump in seq
                }
                long start = loc.start();
                long first = loc.firstSeq();
                if (h0 != null && h0.segment() == loc.segment() && h0.seq() > first && h0.seq() <= wanted
                        && h0.offset() >= start && h0.offset() < loc.end()) {
                    start = h0.offset(); // resume where the last sequential read stopped
                    first = h0.seq();
                }
                plan.add(new Stretch(loc.segment(), start, loc.end(), first));
                planned += loc.nextSeq() - Math.max(wanted, loc.firstSeq());
            }
        }
        for (int i = (int) Math.max(0, wanted - firstPending); i < pending.size() && planned + unsealed.size() < max; i++) {
            unsealed.add(pending.get(i).reading());
        }
        return new ReadPlan(plan, unsealed);
    }

    private List<byte[]> readBlock(BlockIndex.Entry loc) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        readings.scan(loc.segment(), loc.start(), f -> {
            if (f.offset() >= loc.end()) {
                throw new SegmentLog.StopScan();
            }
            frames.add(f.payload());
        });
        return frames;
    }

    /**
     * Removes reading bodies by the retention policy: whole segments whose newest block is
     * older than the age limit, then oldest segments while over the size cap. Never the
     * current segment, never a segment holding seq ≥ {@code keepFromSeq} (not yet published)
     * unless the size cap forces it. Returns the number of segments removed.
     */
    public int prune(long nowMs, long keepFromSeq) throws LedgerStoreException {
        lock.lock();
        try {
            int removed = 0;
            long total = readings.bytesOnDisk();
            for (long s : readings.segments()) {
                if (s == readings.currentSegment()) {
                    break;
                }
                long lastHeight = index.lastHeightUpToSegment(s);
                boolean old = false;
                boolean unpublished = false;
                if (lastHeight > 0 && index.get(lastHeight).segment() == s) {
                    Header last = decodeHeader(headers.read(headers.currentSegment(), index.get(lastHeight).headerOffset())).header();
                    old = nowMs - last.sealedAtMs() > retention.maxAge().toMillis();
                    unpublished = last.nextSeq() > keepFromSeq;
                }
                boolean overCap = retention.maxBytes() > 0 && total > retention.maxBytes();
                if (!(overCap || (old && !unpublished))) {
                    break;
                }
                long size = Files.size(readings.file(s));
                readings.delete(s);
                total -= size;
                removed++;
            }
            return removed;
        } catch (IOException e) {
            throw new LedgerStoreException("pruning failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the chain takes on disk: reading segments, header log and index. */
    public long bytesOnDisk(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    public Map<String, Long> stats() {
        lock.lock();
        try {
            return Map.of("height", head.height(), "nextSeq", nextSeq, "unsealed", (long) pending.size(),
                    "segments", (long) readings.segments().size());
        } finally {
            lock.unlock();
        }
    }

    private static SignedReading decodeReading(byte[] cose) {
        try {
            return SignedReading.decode(cose);
        } catch (LedgerFormatException e) {
            throw new IllegalStateException("stored reading does not decode: " + e.getMessage(), e);
        }
    }

    private static SignedHeader decodeHeader(byte[] cose) {
        try {
            return SignedHeader.decode(cose);
        } catch (LedgerFormatException e) {
            throw new IllegalStateException("stored header does not decode: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws LedgerStoreException {
        lock.lock();
        try {
            readings.close();
            headers.close();
            index.close();
        } catch (IOException e) {
            throw new LedgerStoreException("closing the chain failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
