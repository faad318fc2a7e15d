package io.eiedge.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Append-only, CRC-framed segment files for reading bodies. A frame is
 * {@code [u32 length][u32 CRC32C of payload][payload]}. Appends go to the newest segment;
 * {@link #sync()} makes everything written so far durable (fdatasync), so callers can group
 * many appends under one fsync. On open the newest segment is scanned and a torn tail — a
 * frame cut short by a crash — is cut off; a bad frame anywhere else is corruption and is
 * reported, never silently skipped.
 *
 * <p>Writers are serialised by the chain; {@code append}, {@code sync} and {@code roll} are also
 * mutually exclusive here so a group-commit fsync never meets a closing channel.
 */
public final class SegmentLog implements AutoCloseable {
    public static final int FRAME_OVERHEAD = 8;
    /** A reading or header is far below this; a larger length field means a torn or corrupt frame. */
    static final int MAX_FRAME = 1 << 20;
    private static final String SUFFIX = ".seg";

    private final Path dir;
    private final TreeSet<Long> segments = new TreeSet<>();
    private long current;
    private FileChannel channel;
    private long size;
    private volatile FsyncListener fsyncs = FsyncListener.NONE;

    private SegmentLog(Path dir) {
        this.dir = dir;
    }

    /** Opens or creates the log in {@code dir}, cutting off a torn last frame (see {@link #recoveredTail()}). */
    public static SegmentLog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        SegmentLog log = new SegmentLog(dir);
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && n.length() == 16 + SUFFIX.length())
                    .forEach(n -> log.segments.add(Long.parseLong(n.substring(0, 16), 16)));
        }
        if (log.segments.isEmpty()) {
            log.segments.add(1L);
        }
        log.openCurrent(log.segments.last());
        return log;
    }

    private long cutBytes;

    /**
     * Opens the log for reading only — no truncation, no writes — so a chain can be audited
     * while its daemon keeps appending (a frame being written shows up as a torn end).
     */
    public static SegmentLog openForReading(Path dir) throws IOException {
        SegmentLog log = new SegmentLog(dir);
        log.current = -1;
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(SUFFIX) && n.length() == 16 + SUFFIX.length())
                        .forEach(n -> log.segments.add(Long.parseLong(n.substring(0, 16), 16)));
            }
        }
        return log;
    }

    /** Bytes of a torn last frame removed when the log was opened (0 after a clean stop). */
    public long recoveredTail() {
        return cutBytes;
    }

    private void openCurrent(long segment) throws IOException {
        Path file = file(segment);
        boolean created = !Files.exists(file);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        current = segment;
        ScanEnd scanned = scan(segment, 0, f -> { });
        if (scanned.damaged()) {
            long after = channel.size() - scanned.end();
            channel.close();
            channel = null;
            throw new IOException(file + " is damaged at offset " + scanned.end() + " with " + after
                    + " bytes of frames after it: not a torn tail, so nothing is cut (restore the file or move it aside)");
        }
        long valid = scanned.end();
        cutBytes = channel.size() - valid;
        if (cutBytes > 0) {
            channel.truncate(valid);
            channel.force(true);
        }
        size = valid;
        channel.position(size);
        if (created) {
            syncDirectory();
        }
    }

    public Path file(long segment) {
        return dir.resolve(String.format("%016x%s", segment, SUFFIX));
    }

    public long currentSegment() {
        return current;
    }

    public long currentSize() {
        return size;
    }

    public List<Long> segments() {
        return new ArrayList<>(segments);
    }

    /** Appends one frame to the current segment; returns its offset there. Not durable until {@link #sync()}. */
    public synchronized long append(byte[] payload) throws IOException {
        if (channel == null) {
            throw new IOException("segment log in " + dir + " is open for reading only");
        }
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(FRAME_OVERHEAD + payload.length);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        long offset = size;
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
        size += FRAME_OVERHEAD + payload.length;
        return offset;
    }

    /** Appends frames back to back in one write; they start at {@link #currentSize()}. Not durable until {@link #sync()}. */
    public synchronized void appendAll(List<byte[]> payloads) throws IOException {
        if (payloads.isEmpty()) {
            return;
        }
        if (channel == null) {
            throw new IOException("segment log in " + dir + " is open for reading only");
        }
        int total = 0;
        for (byte[] p : payloads) {
            total += FRAME_OVERHEAD + p.length;
        }
        ByteBuffer frames = ByteBuffer.allocate(total);
        CRC32C crc = new CRC32C();
        for (byte[] p : payloads) {
            crc.reset();
            crc.update(p);
            frames.putInt(p.length).putInt((int) crc.getValue()).put(p);
        }
        frames.flip();
        while (frames.hasRemaining()) {
            channel.write(frames);
        }
        size += total;
    }

    /** Makes every frame appended so far durable. */
    public synchronized void sync() throws IOException {
        timedForce();
    }

    /** Who is told the duration of every fsync of this log's appends. */
    public void onFsync(FsyncListener listener) {
        this.fsyncs = listener == null ? FsyncListener.NONE : listener;
    }

    private void timedForce() throws IOException {
        long t0 = System.nanoTime();
        channel.force(false);
        fsyncs.synced(System.nanoTime() - t0);
    }

    /** Makes the current segment durable and starts a new one. */
    public synchronized void roll() throws IOException {
        timedForce();
        channel.close();
        long next = current + 1;
        segments.add(next);
        openCurrent(next);
    }

    /** Deletes a whole segment other than the current one. */
    public void delete(long segment) throws IOException {
        if (segment == current) {
            throw new IllegalArgumentException("the current segment cannot be deleted");
        }
        Files.deleteIfExists(file(segment));
        segments.remove(segment);
        syncDirectory();
    }

    public boolean exists(long segment) {
        return segments.contains(segment);
    }

    public long bytesOnDisk() throws IOException {
        long total = 0;
        for (long s : segments) {
            total += s == current ? size : Files.size(file(s));
        }
        return total;
    }

    /** A frame read back: where it starts, where the next begins, its payload. */
    public record Frame(long offset, long next, byte[] payload) {
    }

    /** Where a scan stopped: the end of the last good frame. */
    /**
     * Where a scan stopped. {@code torn}: before the end of the file. {@code damaged}: at a bad
     * frame that cannot be a torn tail — whole frames of data follow it — so it is corruption
     * (a flipped bit, an edited file), never to be cut off.
     */
    public record ScanEnd(long end, boolean torn, boolean damaged) {
    }

    /**
     * A crash can only leave the end of a segment incomplete: a frame cut short, a last frame
     * whose bytes did not all reach the disk, or a zero-filled stretch the file system allocated
     * but never wrote. Anything else after a bad frame is damage.
     */
    private static ScanEnd badFrameAt(FileChannel ch, long pos, long end, int length) throws IOException {
        boolean incomplete = length <= 0 || length > MAX_FRAME || pos + FRAME_OVERHEAD + (long) length >= end;
        if (incomplete || zerosFrom(ch, pos, end)) {
            return new ScanEnd(pos, true, false);
        }
        return new ScanEnd(pos, true, true);
    }

    private static boolean zerosFrom(FileChannel ch, long pos, long end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        for (long p = pos; p < end; ) {
            buf.clear();
            int n = ch.read(buf, p);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
    }

    /**
     * Reads frames of {@code segment} from {@code offset} to its end (or the first bad frame).
     * The consumer may throw {@link StopScan} to stop early.
     */
    public ScanEnd scan(long segment, long offset, Consumer<Frame> consumer) throws IOException {
        FileChannel ch = segment == current && channel != null ? channel : null;
        boolean own = ch == null;
        if (own) {
            if (!segments.contains(segment)) {
                throw new IOException("segment " + segment + " does not exist in " + dir);
            }
            ch = FileChannel.open(file(segment), StandardOpenOption.READ);
        }
        try {
            long end = ch.size();
            ByteBuffer head = ByteBuffer.allocate(FRAME_OVERHEAD);
            long pos = offset;
            while (pos + FRAME_OVERHEAD <= end) {
                head.clear();
                readFully(ch, head, pos);
                head.flip();
                int length = head.getInt();
                int crc = head.getInt();
                if (length <= 0 || length > MAX_FRAME || pos + FRAME_OVERHEAD + length > end) {
                    return badFrameAt(ch, pos, end, length);
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(ch, body, pos + FRAME_OVERHEAD);
                CRC32C c = new CRC32C();
                c.update(body.array());
                if ((int) c.getValue() != crc) {
                    return badFrameAt(ch, pos, end, length);
                }
                long next = pos + FRAME_OVERHEAD + length;
                try {
                    consumer.accept(new Frame(pos, next, body.array()));
                } catch (StopScan stop) {
                    return new ScanEnd(next, false, false);
                }
                pos = next;
            }
            return pos == end ? new ScanEnd(pos, false, false) : badFrameAt(ch, pos, end, -1);
        } finally {
            if (own) {
                ch.close();
            }
        }
    }

    /** Reads the one frame at {@code offset} of {@code segment}. */
    public byte[] read(long segment, long offset) throws IOException {
        byte[][] out = new byte[1][];
        ScanEnd end = scan(segment, offset, f -> {
            out[0] = f.payload();
            throw new StopScan();
        });
        if (out[0] == null) {
            throw new IOException("no complete frame at " + offset + " of segment " + segment + " (scan stopped at " + end.end() + ")");
        }
        return out[0];
    }

    /** Thrown by a scan consumer to stop reading. */
    public static final class StopScan extends RuntimeException {
        public StopScan() {
            super(null, null, false, false);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of segment at " + pos);
            }
        }
    }

    private void syncDirectory() throws IOException {
        AtomicFiles.syncDirectory(dir);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
            channel = null;
        }
    }
}
