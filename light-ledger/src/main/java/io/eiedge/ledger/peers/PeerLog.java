package io.eiedge.ledger.peers;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.store.AtomicFiles;
import io.eiedge.ledger.store.SegmentLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One peer's verified headers, append-only: the COSE bytes in CRC-framed segments, and a
 * fixed-size, CRC-checked record per height pointing at them ({@code heights.idx}: height,
 * segment, offset). The newest header is kept decoded in memory, so accepting the next one is a
 * signature check, two appends and — once per batch — two fsyncs. Small state (frozen height,
 * misbehaviour count) is a text file rewritten atomically; evidence has its own log.
 *
 * <p>A crash can only tear the ends: index records whose frames do not read back are dropped on
 * open, and writing resumes in a fresh segment, so frames that never got their record are
 * simply unreachable. Nothing here is irreplaceable except evidence — headers are synced again.
 */
final class PeerLog implements AutoCloseable {
    private static final int RECORD = 3 * Long.BYTES + Integer.BYTES;
    private static final long SEGMENT_BYTES = 1 << 20;

    private final String deviceId;
    private final Path dir;
    private final SegmentLog frames;
    private final SegmentLog evidence;
    private FileChannel index;
    /** Height of index record 0 (after pruning, the oldest header kept). */
    private long base;
    private long records;
    private SignedHeader tip;
    private long frozenAt = -1;
    private long misbehaviour;

    private PeerLog(String deviceId, Path dir, SegmentLog frames, SegmentLog evidence) {
        this.deviceId = deviceId;
        this.dir = dir;
        this.frames = frames;
        this.evidence = evidence;
    }

    static PeerLog open(String deviceId, Path dir) throws IOException {
        Files.createDirectories(dir);
        PeerLog log = new PeerLog(deviceId, dir, SegmentLog.open(dir.resolve("headers")), SegmentLog.open(dir.resolve("evidence")));
        log.index = FileChannel.open(dir.resolve("heights.idx"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        log.records = log.index.size() / RECORD;
        log.base = log.records == 0 ? 0 : log.readRecordRaw(0)[0];
        // drop records at the end whose record or frame does not read back (a torn end)
        while (log.records > 0 && log.tipFromLastRecord() == null) {
            log.records--;
        }
        log.index.truncate(log.records * RECORD);
        log.index.force(true);
        // frames written after the last good record (a crash between the two appends) are left unreachable
        long expectedEnd = 0;
        if (log.records > 0) {
            long[] last = log.readRecordRaw(log.records - 1);
            if (last[1] == log.frames.currentSegment()) {
                expectedEnd = last[2] + 8 + log.tip.cose().encodedLength();
            }
        }
        if (log.frames.currentSize() != expectedEnd) {
            log.frames.roll();
        }
        log.readState();
        return log;
    }

    private SignedHeader tipFromLastRecord() throws IOException {
        long[] r = readRecordRaw(records - 1);
        if (r == null || r[0] != base + records - 1) {
            return null;
        }
        try {
            tip = SignedHeader.decode(frames.read(r[1], r[2]));
            return tip.height() == r[0] ? tip : null;
        } catch (IOException | LedgerFormatException e) {
            return null;
        }
    }

    private long[] readRecordRaw(long i) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        while (b.hasRemaining()) {
            if (index.read(b, i * RECORD + b.position()) < 0) {
                return null;
            }
        }
        b.flip();
        long h = b.getLong();
        long segment = b.getLong();
        long offset = b.getLong();
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 3 * Long.BYTES);
        return b.getInt() == (int) crc.getValue() ? new long[]{h, segment, offset} : null;
    }

    String deviceId() {
        return deviceId;
    }

    SignedHeader tip() {
        return records + unwritten.size() == 0 ? null : tip;
    }

    long tipHeight() {
        return records + unwritten.size() == 0 ? -1 : tip.height();
    }

    /** The header held at {@code height}, or null when not held (never synced, or pruned). */
    byte[] read(long height) throws IOException {
        if (height >= base + records && height < base + records + unwritten.size()) {
            return unwritten.get((int) (height - base - records)).cose().encoded();
        }
        if (height < base || height >= base + records) {
            return null;
        }
        long[] r = readRecordRaw(height - base);
        if (r == null) {
            throw new IOException(dir + ": index record of height " + height + " fails its CRC");
        }
        return frames.read(r[1], r[2]);
    }

    /** Headers accepted but not yet written: a batch goes out in two writes, not two per header. */
    private final List<SignedHeader> unwritten = new ArrayList<>();

    /** Appends {@code header}, which must follow the tip (or be the first); written and durable at {@link #sync()}. */
    void append(SignedHeader header) throws IOException {
        if (records + unwritten.size() == 0) {
            base = header.height();
        } else if (header.height() != base + records + unwritten.size()) {
            throw new IOException(deviceId + ": header " + header.height() + " appended after " + (base + records + unwritten.size() - 1));
        }
        unwritten.add(header);
        tip = header;
    }

    private void flush() throws IOException {
        if (unwritten.isEmpty()) {
            return;
        }
        if (frames.currentSize() >= SEGMENT_BYTES) {
            frames.roll();
        }
        long segment = frames.currentSegment();
        long offset = frames.currentSize();
        List<byte[]> payloads = new ArrayList<>(unwritten.size());
        ByteBuffer b = ByteBuffer.allocate(unwritten.size() * RECORD);
        CRC32C crc = new CRC32C();
        for (SignedHeader h : unwritten) {
            byte[] cose = h.cose().encoded();
            payloads.add(cose);
            int start = b.position();
            b.putLong(h.height()).putLong(segment).putLong(offset);
            crc.reset();
            crc.update(b.array(), start, 3 * Long.BYTES);
            b.putInt((int) crc.getValue());
            offset += SegmentLog.FRAME_OVERHEAD + cose.length;
        }
        frames.appendAll(payloads);
        b.flip();
        long pos = records * RECORD;
        while (b.hasRemaining()) {
            pos += index.write(b, pos);
        }
        records += unwritten.size();
        unwritten.clear();
    }

    /** Writes what was appended — frames first, then the records that point at them — and makes it durable. */
    void sync() throws IOException {
        flush();
        frames.sync();
        index.force(false);
    }

    void keepEvidence(Equivocation ev) throws IOException {
        sync(); // the headers that make up the evidence are on disk before it
        evidence.append(ev.encode());
        evidence.sync();
    }

    List<Equivocation> evidence() throws IOException {
        List<Equivocation> out = new ArrayList<>();
        for (long s : evidence.segments()) {
            evidence.scan(s, 0, f -> {
                try {
                    out.add(Equivocation.decode(f.payload()));
                } catch (LedgerFormatException e) {
                    throw new IllegalStateException(dir + ": stored evidence does not decode", e);
                }
            });
        }
        return out;
    }

    long frozenAt() {
        return frozenAt;
    }

    long misbehaviour() {
        return misbehaviour;
    }

    void freeze(long height) throws IOException {
        frozenAt = height;
        writeState();
    }

    void countMisbehaviour() throws IOException {
        misbehaviour++;
        writeState();
    }

    /** Forgets headers from {@code fromHeight} on and unfreezes; evidence stays. */
    void clear(long fromHeight) throws IOException {
        sync();
        long keep = Math.max(0, Math.min(records, fromHeight - base));
        records = keep;
        index.truncate(records * RECORD);
        index.force(true);
        frames.roll();
        if (records > 0) {
            tipFromLastRecord();
        }
        frozenAt = -1;
        writeState();
    }

    /** Drops headers below {@code belowHeight}, always keeping the newest; returns how many. */
    int prune(long belowHeight) throws IOException {
        sync();
        long cut = Math.min(belowHeight, base + records - 1) - base; // records to drop
        if (records == 0 || cut <= 0) {
            return 0;
        }
        Path fresh = dir.resolve("heights.idx.new");
        long oldestSegmentKept;
        try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(1 << 20, (records - cut) * RECORD));
            long pos = 0;
            for (long i = cut; i < records; i += b.capacity() / RECORD) {
                b.clear();
                b.limit((int) Math.min(b.capacity(), (records - i) * RECORD));
                while (b.hasRemaining()) {
                    index.read(b, i * RECORD + b.position());
                }
                b.flip();
                while (b.hasRemaining()) {
                    pos += out.write(b, pos);
                }
            }
            out.force(true);
            oldestSegmentKept = readRecordRaw(cut)[1];
        }
        index.close();
        Files.move(fresh, dir.resolve("heights.idx"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        index = FileChannel.open(dir.resolve("heights.idx"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        base += cut;
        records -= cut;
        for (long s : frames.segments()) {
            if (s < oldestSegmentKept && s != frames.currentSegment()) {
                frames.delete(s);
            }
        }
        return (int) cut;
    }

    private void readState() throws IOException {
        Path file = dir.resolve("state");
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2 && kv[0].equals("frozen")) {
                frozenAt = Long.parseLong(kv[1].trim());
            } else if (kv.length == 2 && kv[0].equals("misbehaviour")) {
                misbehaviour = Long.parseLong(kv[1].trim());
            }
        }
    }

    private void writeState() throws IOException {
        AtomicFiles.write(dir.resolve("state"),
                ("frozen=" + frozenAt + "\nmisbehaviour=" + misbehaviour + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        sync();
        frames.close();
        evidence.close();
        index.force(false);
        index.close();
    }
}
