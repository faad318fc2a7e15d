package io.eiedge.ledger.chain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Where each block lives: one fixed-size, CRC32C-checked record per height, appended after the
 * block's header is on disk. Record {@code h} sits at {@code h × 60}, so any block is one read
 * away and the block holding a seq is a binary search — nothing is kept in memory.
 *
 * <p>Why not MapDB: SIGKILL during a MapDB 3.1 transactional commit was seen to leave an index
 * that cannot be opened again (the crash test found it within 20 kills). An append-only file
 * can only be torn at its end, which {@link #open} cuts off; the header log, written first, is
 * the truth the chain catches the index up to.
 */
final class BlockIndex implements AutoCloseable {
    /** height, first seq, count, reading segment, start, end, header-log offset. */
    record Entry(long height, long firstSeq, long count, long segment, long start, long end, long headerOffset) {
        long nextSeq() {
            return firstSeq + count;
        }
    }

    private static final int PAYLOAD = 7 * Long.BYTES;
    static final int RECORD = PAYLOAD + Integer.BYTES;

    private final Path file;
    private final FileChannel channel;
    private long size;

    private BlockIndex(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    /** Opens or creates the index, cutting off a torn or unreadable last record. */
    static BlockIndex open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long records = ch.size() / RECORD;
        BlockIndex index = new BlockIndex(file, ch, records);
        // a crash can only tear the end: drop a partial record and a last record whose CRC fails
        while (index.size > 0 && index.read(index.size - 1) == null) {
            index.size--;
        }
        if (ch.size() != index.size * RECORD) {
            ch.truncate(index.size * RECORD);
            ch.force(true);
        }
        for (long h = Math.max(0, index.size - 2); h < index.size; h++) {
            if (index.read(h).height() != h) {
                throw new IOException(file + ": record " + h + " names height " + index.read(h).height());
            }
        }
        return index;
    }

    /** Number of blocks indexed; the newest height is {@code size() - 1}. */
    long size() {
        return size;
    }

    Entry get(long height) throws IOException {
        if (height < 0 || height >= size) {
            throw new IOException(file + ": no block " + height + " (" + size + " indexed)");
        }
        Entry e = read(height);
        if (e == null) {
            throw new IOException(file + ": record of block " + height + " fails its CRC");
        }
        return e;
    }

    private Entry read(long height) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(RECORD);
        long pos = height * RECORD;
        while (buf.hasRemaining()) {
            if (channel.read(buf, pos + buf.position()) < 0) {
                return null;
            }
        }
        buf.flip();
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, PAYLOAD);
        long[] v = new long[7];
        for (int i = 0; i < 7; i++) {
            v[i] = buf.getLong();
        }
        if (buf.getInt() != (int) crc.getValue()) {
            return null;
        }
        return new Entry(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** Appends the next block's record; durable after {@link #sync()}. */
    void append(Entry e) throws IOException {
        if (e.height() != size) {
            throw new IOException(file + ": block " + e.height() + " appended after " + (size - 1));
        }
        ByteBuffer buf = ByteBuffer.allocate(RECORD);
        buf.putLong(e.height()).putLong(e.firstSeq()).putLong(e.count()).putLong(e.segment()).putLong(e.start())
                .putLong(e.end()).putLong(e.headerOffset());
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, PAYLOAD);
        buf.putInt((int) crc.getValue()).flip();
        long pos = size * RECORD;
        while (buf.hasRemaining()) {
            channel.write(buf, pos + buf.position());
        }
        size++;
    }

    void sync() throws IOException {
        channel.force(false);
    }

    /** Height of the block holding {@code seq} (the first whose next seq is beyond it), or -1 if none. */
    long heightForSeq(long seq) throws IOException {
        long lo = 0;
        long hi = size - 1;
        long found = -1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (get(mid).nextSeq() > seq) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found;
    }

    /** Newest height whose readings are in segment ≤ {@code segment}, or -1 (segments grow with height). */
    long lastHeightUpToSegment(long segment) throws IOException {
        long lo = 1;
        long hi = size - 1;
        long found = -1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (get(mid).segment() <= segment) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        channel.force(false);
        channel.close();
    }
}
