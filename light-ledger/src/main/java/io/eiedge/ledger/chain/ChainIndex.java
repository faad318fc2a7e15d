package io.eiedge.ledger.chain;

import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.nio.file.Path;
import java.util.Map;

/**
 * MapDB index over the append-only logs: where each block's readings and header sit, which
 * block holds a seq, which segment holds which blocks, and small state. Everything here can
 * be rebuilt from the logs; it is written once per sealed block in one transaction.
 */
final class ChainIndex implements AutoCloseable {
    /** Block location: reading segment, start offset, end offset, header-log offset. */
    static final int SEGMENT = 0;
    static final int START = 1;
    static final int END = 2;
    static final int HEADER_OFFSET = 3;

    private final DB db;
    private final BTreeMap<Long, long[]> blocks;
    private final BTreeMap<Long, Long> heightByFirstSeq;
    private final BTreeMap<Long, Long> lastHeightBySegment;
    private final HTreeMap<String, byte[]> meta;
    private final Atomic.Long oldestLiveSegment;

    private ChainIndex(DB db) {
        this.db = db;
        this.blocks = db.treeMap("blocks", Serializer.LONG, Serializer.LONG_ARRAY).createOrOpen();
        this.heightByFirstSeq = db.treeMap("heightByFirstSeq", Serializer.LONG, Serializer.LONG).createOrOpen();
        this.lastHeightBySegment = db.treeMap("lastHeightBySegment", Serializer.LONG, Serializer.LONG).createOrOpen();
        this.meta = db.hashMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.oldestLiveSegment = db.atomicLong("oldestLiveSegment", 1).createOrOpen();
    }

    static ChainIndex open(Path file) {
        DB db = DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
        return new ChainIndex(db);
    }

    /** Height of the newest indexed block, -1 when empty. */
    long lastHeight() {
        return blocks.isEmpty() ? -1 : blocks.lastKey();
    }

    long[] location(long height) {
        return blocks.get(height);
    }

    void putBlock(long height, long firstSeq, long count, long[] location) {
        blocks.put(height, location);
        if (count > 0) {
            heightByFirstSeq.put(firstSeq, height);
        }
        if (height > 0) {
            lastHeightBySegment.put(location[SEGMENT], height);
        }
    }

    /** Height of the block whose first seq is the greatest ≤ {@code seq}; null before the first reading. */
    Long heightForSeq(long seq) {
        Map.Entry<Long, Long> e = heightByFirstSeq.floorEntry(seq);
        return e == null ? null : e.getValue();
    }

    Map<Long, Long> lastHeightBySegment() {
        return lastHeightBySegment;
    }

    long oldestLiveSegment() {
        return oldestLiveSegment.get();
    }

    void oldestLiveSegment(long segment) {
        oldestLiveSegment.set(segment);
    }

    byte[] meta(String key) {
        return meta.get(key);
    }

    void meta(String key, byte[] value) {
        meta.put(key, value);
    }

    void commit() {
        db.commit();
    }

    @Override
    public void close() {
        db.close();
    }
}
