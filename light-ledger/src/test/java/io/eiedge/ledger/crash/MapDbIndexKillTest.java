package io.eiedge.ledger.crash;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root cause behind {@link ChainCrashTest}'s failures, without the chain: MapDB 3.1.0 opened
 * exactly as {@code ChainIndex} opens it ({@code fileDB(..).transactionEnable().fileChannelEnable()})
 * and written the way the chain writes it (a few tree-map puts, then {@code commit()}), killed
 * with SIGKILL at random moments. After some kills the store no longer opens
 * ({@code IndexOutOfBoundsException} in {@code BTreeMapJava$NodeSerializer.deserialize} from
 * {@code BTreeMap.loadLeftEdges}) or a later {@code floorEntry} fails with
 * {@code AssertionError: wrong reverse iteration}; committed entries can also be missing.
 */
class MapDbIndexKillTest {
    @TempDir
    Path tmp;

    /** Child: commits block after block, printing each height once its commit returned. */
    public static final class Committer {
        private Committer() {
        }

        public static void main(String[] args) {
            DB db = open(Path.of(args[0]));
            BTreeMap<Long, long[]> blocks = blocks(db);
            BTreeMap<Long, Long> bySeq = bySeq(db);
            BTreeMap<Long, Long> bySegment = db.treeMap("lastHeightBySegment", Serializer.LONG, Serializer.LONG).createOrOpen();
            var meta = db.hashMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
            db.atomicLong("oldestLiveSegment", 1).createOrOpen();
            // what Chain.open does every time: (re)write its metadata, commit with the first catch-up
            meta.put("device", "router-07".getBytes(StandardCharsets.UTF_8));
            meta.put("cert:" + Long.toHexString(System.nanoTime()).substring(0, 4), new byte[367]);
            long height = blocks.isEmpty() ? 0 : blocks.lastKey() + 1;
            db.commit();
            System.out.println("open " + height);
            System.out.flush();
            for (; ; height++) {
                blocks.put(height, new long[]{height, height * 64, height * 64 + 64, height * 300});
                bySeq.put(height * 64 + 1, height);
                bySegment.put(height / 6, height);
                db.commit();
                System.out.println(height);
                System.out.flush();
            }
        }
    }

    static DB open(Path file) {
        return DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make();
    }

    static BTreeMap<Long, long[]> blocks(DB db) {
        return db.treeMap("blocks", Serializer.LONG, Serializer.LONG_ARRAY).createOrOpen();
    }

    static BTreeMap<Long, Long> bySeq(DB db) {
        return db.treeMap("heightByFirstSeq", Serializer.LONG, Serializer.LONG).createOrOpen();
    }

    @Test
    @Disabled("bug: MapDB 3.1.0's transactional store, opened and written as ChainIndex does, is corrupted by SIGKILL during"
            + " commit: reopen throws IndexOutOfBoundsException or floorEntry throws AssertionError 'wrong reverse iteration'")
    void aCommittedIndexSurvivesSigkill() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Path file = tmp.resolve("index.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        AtomicLong committed = new AtomicLong(-1); // the highest height any child reported committed
        for (int kill = 0; kill < Integer.getInteger("crash.kills", 50); kill++) {
            String where = "kill " + kill + ", seed " + seed;
            Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx64m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), Committer.class.getName(), file.toString())
                    .redirectError(tmp.resolve("err-" + kill).toFile()).start();
            CountDownLatch open = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("open")) {
                            open.countDown();
                        } else if (!line.isEmpty()) {
                            committed.set(Math.max(committed.get(), Long.parseLong(line)));
                        }
                    }
                } catch (Exception ignored) {
                    // the pipe closes when the child dies; a line cut by the kill was never a promise
                }
            });
            assertTrue(open.await(30, TimeUnit.SECONDS), "child opened the store (" + where + "): "
                    + Files.readString(tmp.resolve("err-" + kill)));
            Thread.sleep(rnd.nextInt(200));
            child.destroyForcibly();
            child.waitFor();
            reader.join(10_000);

            DB db;
            try {
                db = open(file);
            } catch (RuntimeException e) {
                throw new AssertionError("the store does not open after " + where + ": " + e, e);
            }
            try {
                BTreeMap<Long, long[]> blocks = blocks(db);
                BTreeMap<Long, Long> bySeq = bySeq(db);
                for (long h = 0; h <= committed.get(); h++) {
                    assertArrayEquals(new long[]{h, h * 64, h * 64 + 64, h * 300}, blocks.get(h), "block " + h + " after " + where);
                    assertEquals(h, bySeq.floorEntry(h * 64 + 1 + rnd.nextInt(64)).getValue(), "floorEntry after " + where);
                }
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("committed entries unreadable after " + where + " (committed up to "
                        + committed.get() + "): " + e, e);
            } finally {
                db.close();
            }
            System.out.printf("kill %d: committed up to %d, all readable%n", kill, committed.get());
        }
    }
}
