package io.eiedge.ledger.crash;

import io.eiedge.ledger.TestIdentity;
import io.eiedge.ledger.WireVectors;
import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN's first non-negotiable — a reading that was signed is never lost, and on restart the
 * chain verifies from genesis — tested with real processes: a child JVM appends as fast as it
 * can and reports every seq once {@code append} has returned; the parent SIGKILLs it at a
 * random moment (while appending, while sealing, while rolling segments, while recovering),
 * reopens the chain and audits it from genesis, over and over on the same directory.
 *
 * <p>A SIGKILL keeps what the process already handed to the kernel, so this finds every
 * ordering and atomicity fault of the store (torn frames, half-written headers, an index
 * behind or ahead of its logs) but not a missing fsync; that needs a power cut.
 *
 * <p>Seeded: the seed is printed and in every failure message; rerun one with
 * {@code -Dcrash.seed=N}. {@code -Dcrash.kills=N} changes the number of kills.
 */
class ChainCrashTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASSPATH = System.getProperty("java.class.path");

    @TempDir
    Path tmp;
    private Path certFile;

    /** How one child is configured and killed. */
    private record Round(int index, long childSeed, int blockReadings, long segmentBytes, int maxBatch, int threads,
                         long sealAgeMs, KillMoment moment, int delayMs) {
        List<String> args(Path dir, Path certFile) {
            return List.of(dir.toString(), Long.toString(childSeed), Integer.toString(blockReadings), Long.toString(segmentBytes),
                    Integer.toString(maxBatch), Integer.toString(threads), Long.toString(sealAgeMs),
                    WireVectors.load().get("keys").get("device_seed_hex").AsString(), certFile.toString());
        }
    }

    private enum KillMoment {
        /** {@code delayMs} after the child says it is opening the chain: recovery, genesis, index catch-up. */
        DURING_OPEN,
        /** {@code delayMs} after the chain is open: appending, group commit, sealing, rolling. */
        WHILE_APPENDING
    }

    @Test
    void everyReportedReadingSurvivesSigkillAtRandomMomentsAndTheChainVerifiesFromGenesis() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int kills = Integer.getInteger("crash.kills", 50);
        Random rnd = new Random(seed);
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            boolean atOpen = rnd.nextInt(100) < 15;
            rounds.add(new Round(i, rnd.nextLong(), 64, 64 * 1024, 32, 1 + rnd.nextInt(2), 150,
                    atOpen ? KillMoment.DURING_OPEN : KillMoment.WHILE_APPENDING,
                    atOpen ? rnd.nextInt(120) : rnd.nextInt(400)));
        }
        Outcome o = run("appending", seed, rounds);
        assertTrue(o.segmentsSeen > 2, "segments rolled (" + o.segmentsSeen + "), seed " + seed);
        assertTrue(o.height > 10, "blocks were sealed (height " + o.height + "), seed " + seed);
    }

    @Test
    void killsWhileSealingEveryReadingOrTwoLoseNothing() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int kills = Integer.getInteger("crash.sealKills", 20);
        Random rnd = new Random(seed);
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            boolean atOpen = rnd.nextInt(100) < 15;
            rounds.add(new Round(i, rnd.nextLong(), 1 + rnd.nextInt(2), 4096, 3, 1 + rnd.nextInt(2), 20,
                    atOpen ? KillMoment.DURING_OPEN : KillMoment.WHILE_APPENDING,
                    atOpen ? rnd.nextInt(120) : rnd.nextInt(300)));
        }
        Outcome o = run("sealing", seed, rounds);
        assertTrue(o.height > o.nextSeq / 4, "nearly every reading was sealed on its own (height " + o.height
                + ", next seq " + o.nextSeq + "), seed " + seed);
    }

    private record Outcome(long nextSeq, long height, long segmentsSeen) {
    }

    private Outcome run(String name, long seed, List<Round> rounds) throws Exception {
        System.out.printf("crash test '%s': seed %d (rerun with -Dcrash.seed=%d), %d kills%n", name, seed, seed, rounds.size());
        Path dir = tmp.resolve("chain");
        certFile = Files.write(tmp.resolve("device.der"), TestIdentity.deviceCertDer());
        ChainAudit audit = new ChainAudit();
        Map<Long, String> promised = new ConcurrentHashMap<>(); // seq -> SHA-256 of its COSE, as the child reported
        long segmentsSeen = 0;
        ChainAudit.Result last = null;
        for (Round round : rounds) {
            String where = "seed " + seed + ", " + round;
            long t0 = System.nanoTime();
            int reported = killOnce(dir, round, promised, where);
            long t1 = System.nanoTime();
            try (Chain chain = openInParent(dir, round)) {
                last = audit.audit(chain);
                segmentsSeen = Math.max(segmentsSeen, chain.stats().get("segments"));
                long missing = promised.keySet().stream().filter(s -> s >= chain.nextSeq()).count();
                assertEquals(0, missing, "readings reported durable by the child are gone after the kill (" + where
                        + "): next seq is " + chain.nextSeq() + ", the child reported up to "
                        + promised.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
                for (var e : promised.entrySet()) {
                    assertEquals(e.getValue(), audit.seen(e.getKey()).hex(),
                            "reading seq " + e.getKey() + " is not the one the child was told was durable (" + where + ")");
                }
            } catch (Exception | AssertionError e) {
                throw new AssertionError("after kill " + round.index() + " (" + where + "): " + e, e);
            }
            System.out.printf("  kill %2d %-15s after %3d ms: child reported %5d, chain next seq %7d height %5d unsealed %3d,"
                            + " %5d newly verified; child %4d ms, audit %4d ms%n", round.index(), round.moment(), round.delayMs(), reported,
                    last.nextSeq(), last.height(), last.unsealed(), last.newlyVerified(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
        // The chain carries on where it stopped, and a from-scratch audit (every signature again) passes.
        Round finalRound = rounds.get(rounds.size() - 1);
        try (Chain chain = openInParent(dir, finalRound)) {
            long next = chain.nextSeq();
            SignedReading r = chain.append(ReadingDraft.of("grid", System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                    Map.of("1-0:1.8.0", new ScaledValue(Long.MAX_VALUE / 2, 0, "Wh")), Quality.GOOD));
            assertEquals(next, r.seq(), "seq continues after the last kill, seed " + seed);
            chain.seal();
            audit.forget();
            last = audit.audit(chain);
            assertEquals(0, last.unsealed());
            assertEquals(next, last.nextSeq() - 1);
            assertEquals(next, last.newlyVerified(), "every reading's signature checked again from genesis, seed " + seed);
        }
        assertTrue(promised.size() > rounds.size(), "the children appended something (" + promised.size() + " readings), seed " + seed);
        return new Outcome(last.nextSeq(), last.height(), segmentsSeen);
    }

    private Chain openInParent(Path dir, Round round) throws Exception {
        return Chain.open(dir, TestIdentity.router07(), new BlockPolicy(round.blockReadings(), Duration.ofHours(1)),
                new Retention(Duration.ofDays(30), 0, round.segmentBytes()), List::of, InstantSource.system());
    }

    /** Runs one child, kills it with SIGKILL as {@code round} says; returns how many readings it reported. */
    private int killOnce(Path dir, Round round, Map<Long, String> promised, String where) throws Exception {
        Path stderr = tmp.resolve("child-" + round.index() + ".err");
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", CLASSPATH, CrashAppender.class.getName()));
        cmd.addAll(round.args(dir, certFile));
        Process child = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        int[] count = new int[1];
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("opening")) {
                        opening.countDown();
                    } else if (line.startsWith("open ")) {
                        open.countDown();
                    } else {
                        int space = line.indexOf(' ');
                        if (space < 0) {
                            continue; // a line cut by the kill cannot have been a promise: append returned before it was printed
                        }
                        String hash = line.substring(space + 1);
                        if (hash.length() == 64) {
                            String previous = promised.put(Long.parseLong(line.substring(0, space)), hash);
                            if (previous != null && !previous.equals(hash)) {
                                throw new IllegalStateException("seq " + line.substring(0, space) + " was promised twice with different readings");
                            }
                            count[0]++;
                        }
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the child dies
            }
        });
        try {
            CountDownLatch mark = round.moment() == KillMoment.DURING_OPEN ? opening : open;
            if (!mark.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child never reached " + round.moment() + " (" + where + "): " + tail(stderr));
            }
            Thread.sleep(round.delayMs());
            if (!child.isAlive()) {
                throw new AssertionError("child exited by itself with " + child.exitValue() + " (" + where + "): " + tail(stderr));
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        assertEquals(137, child.exitValue(), "child ended by SIGKILL (" + where + "): " + tail(stderr));
        return count[0];
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(no stderr)";
        }
        try (Stream<String> lines = Files.lines(file)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        }
    }
}
