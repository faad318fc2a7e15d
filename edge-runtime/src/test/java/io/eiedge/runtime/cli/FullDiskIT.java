package io.eiedge.runtime.cli;

import io.eiedge.runtime.testsupport.FaultFs;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import io.eiedge.runtime.testsupport.SmallDisk;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device whose storage stops taking writes — a full SD card, a card returning I/O errors, a file
 * system the kernel remounted read-only — must not brick itself: {@code eiedge run} stays up, signs
 * nothing it cannot store, says why in {@code eiedge status}, and when room returns carries on by
 * itself; after a restart the chain opens and verifies, and nothing that reached the subscriber
 * contradicts itself or the chain.
 *
 * <p>The full disk is a real one: a 6 MiB tmpfs that another file fills. I/O errors on fsync and the
 * read-only remount come from {@link FaultFs}; the I/O-error case ends with a power cut, because
 * data whose fsync failed is exactly what a cut takes (Linux marks those pages clean).
 */
class FullDiskIT {
    private static final String DEVICE = "router-13";
    /** How the technician reads a storage problem off {@code eiedge status}: its "problem" line. */
    private static final Pattern STORAGE_PROBLEM = Pattern.compile(
            "(?im)^\\s*problem\\b.*(no space|disk|storage|full|input/output|i/o|read-only|fsync).*$");
    /** The status is current: the node rewrites it every 2 s, whatever the data folder's state. */
    private static final Pattern FRESH = Pattern.compile("(?m)^updated [0-4] s ago$");
    /** How long the node is left at the wall: several sync intervals, seals and status rewrites. */
    private static final int AT_THE_WALL_MS = 6000;

    @TempDir
    Path dir;

    @Test
    @Disabled("until issue 11's storage rewrite lands: status lives in the full data folder, so 'eiedge status' says "
            + "the node is not running; the chain signs readings it cannot store and cannot be opened after the restart")
    void aFullDiskPausesTheNodeWhichStaysUpSaysSoAndCarriesOnByItselfWhenRoomReturns() throws Exception {
        NodeRig rig = NodeRig.create(dir, DEVICE, "sub-disk");
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 6L << 20);
             Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             MosquittoSub sub = MosquittoSub.persistent(broker, rig.topics(), "aggregator-disk")) {
            AggregatorView upstream = new AggregatorView(sub, rig.verifier, rig.trusted);
            Path data = disk.root().resolve("data");
            Path config = rig.writeConfig(data, broker.url("tcp"), 6, statusDir());
            NodeRig.Run run = rig.start(config).awaitRunning("on the small disk");
            awaitNewReadings(upstream, 0, "before the disk fills");

            long filled = disk.fill();
            System.out.printf("full disk: another file took the last %d KiB%n", filled >> 10);
            atTheWall(run, config, "with the disk full");

            disk.free();
            long before = upstream.update().highestSeq();
            awaitNewReadings(upstream, before, "after the other file was deleted (the node must resume by itself)");
            assertNoStorageProblem(config, "after room returned");

            run.kill();
            restartAndCheck(rig, config, data, upstream, "after the full disk");
        }
    }

    @Test
    @Disabled("until issue 11's storage rewrite lands: a failed fsync followed by a good one marks the failed frames "
            + "durable, so after the power cut a seq the subscriber has is signed again with other content")
    void fsyncFailingWithIoErrorsPausesTheNodeAndWhatItsFailedFsyncsCoveredIsNeverTakenForDurable() throws Exception {
        NodeRig rig = NodeRig.create(dir, DEVICE, "sub-disk");
        try (FaultFs fs = FaultFs.mount(dir.resolve("disk"));
             Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             MosquittoSub sub = MosquittoSub.persistent(broker, rig.topics(), "aggregator-eio")) {
            AggregatorView upstream = new AggregatorView(sub, rig.verifier, rig.trusted);
            Path data = fs.root().resolve("data");
            Path config = rig.writeConfig(data, broker.url("tcp"), 6, statusDir());
            NodeRig.Run run = rig.start(config).awaitRunning("on faultfs");
            awaitNewReadings(upstream, 0, "before fsync fails");

            fs.failFsync(true);
            atTheWall(run, config, "while every fsync fails with EIO");
            fs.failFsync(false);
            long before = upstream.update().highestSeq();
            awaitNewReadings(upstream, before, "after fsync works again (the node must resume by itself)");
            assertNoStorageProblem(config, "after fsync works again");

            // the power cut takes whatever the failed fsyncs were meant to make durable
            fs.freeze();
            run.signalKill();
            System.out.println("EIO: power cut after the errors: " + fs.cut());
            fs.thaw();
            run.awaitExit();
            restartAndCheck(rig, config, data, upstream, "after fsync failed with EIO and the power was cut");
        }
    }

    @Test
    @Disabled("until issue 11's storage rewrite lands: status cannot be written on a read-only data folder, so "
            + "'eiedge status' says the node is not running; the chain signs readings it cannot store")
    void aReadOnlyRemountPausesTheNodeWhichStaysUpSaysSoAndCarriesOnWhenItIsWritableAgain() throws Exception {
        NodeRig rig = NodeRig.create(dir, DEVICE, "sub-disk");
        try (FaultFs fs = FaultFs.mount(dir.resolve("disk"));
             Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             MosquittoSub sub = MosquittoSub.persistent(broker, rig.topics(), "aggregator-erofs")) {
            AggregatorView upstream = new AggregatorView(sub, rig.verifier, rig.trusted);
            Path data = fs.root().resolve("data");
            Path config = rig.writeConfig(data, broker.url("tcp"), 6, statusDir());
            NodeRig.Run run = rig.start(config).awaitRunning("on faultfs");
            awaitNewReadings(upstream, 0, "before the remount");

            fs.readOnly(true);
            atTheWall(run, config, "with the data folder read-only");
            fs.readOnly(false);
            long before = upstream.update().highestSeq();
            awaitNewReadings(upstream, before, "after the data folder is writable again (the node must resume by itself)");
            assertNoStorageProblem(config, "after the data folder is writable again");

            fs.freeze();
            run.signalKill();
            System.out.println("EROFS: power cut after the remount: " + fs.cut());
            fs.thaw();
            run.awaitExit();
            restartAndCheck(rig, config, data, upstream, "after the read-only remount and a power cut");
        }
    }

    /**
     * The status folder off the failing storage, as packaged ({@code /run/eiedge}, the unit's RuntimeDirectory):
     * the status must not need the storage whose failure it reports.
     */
    private String statusDir() throws Exception {
        return "  status-dir: " + Files.createDirectories(dir.resolve("run-eiedge")) + "\n";
    }

    /** The node at the wall: still up, and {@code eiedge status} (fresh, exit 0) names a storage problem. */
    private static void atTheWall(NodeRig.Run run, Path config, String when) throws Exception {
        TimeUnit.MILLISECONDS.sleep(AT_THE_WALL_MS);
        run.assertAlive(when);
        NodeRig.Cli status = NodeRig.eiedge("status", "--config", config.toString());
        assertEquals(0, status.exit(), "'eiedge status' " + when + " says the node runs (exit 0), it said:\n" + status.output());
        assertTrue(FRESH.matcher(status.output()).find(), "'eiedge status' " + when + " is at most 4 s old, it said:\n" + status.output());
        assertTrue(STORAGE_PROBLEM.matcher(status.output()).find(),
                "'eiedge status' " + when + " names the storage problem on its problem line, it said:\n" + status.output());
        run.assertAlive(when);
    }

    private static void assertNoStorageProblem(Path config, String when) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        NodeRig.Cli status;
        do {
            status = NodeRig.eiedge("status", "--config", config.toString());
        } while (STORAGE_PROBLEM.matcher(status.output()).find() && System.nanoTime() < deadline);
        Matcher m = STORAGE_PROBLEM.matcher(status.output());
        assertTrue(status.exit() == 0 && !m.find(), "'eiedge status' " + when + " no longer shows a storage problem:\n" + status.output());
    }

    /** Waits (up to 30 s) until a reading above {@code above} reached the subscriber. */
    private static void awaitNewReadings(AggregatorView upstream, long above, String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (upstream.update().highestSeq() <= above + 5) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new readings reached the subscriber within 30 s " + when + " (highest seq "
                        + upstream.highestSeq() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertEquals(List.of(), upstream.contradictions(), "the subscriber got contradicting messages " + when);
    }

    /**
     * The restart: the node opens what the fault left and carries on; stopped again, {@code eiedge ledger
     * verify} passes; the last start drains with nothing conflicting upstream.
     */
    private static void restartAndCheck(NodeRig rig, Path config, Path data, AggregatorView upstream, String when) throws Exception {
        NodeRig.Run again = rig.start(config).awaitRunning("on the restart " + when);
        awaitNewReadings(upstream, upstream.update().highestSeq(), "after the restart " + when);
        again.stop();
        NodeRig.Cli verify = rig.ledgerVerify(config);
        assertEquals(0, verify.exit(), "'eiedge ledger verify' " + when + " and a restart:\n" + verify.output());
        NodeRig.Drained last = rig.drainAndCompare(config, upstream, null, s -> false, when);
        NodeRig.assertVerified(rig.audit(data), "the chain verifies from genesis " + when);
        System.out.printf("  %s: %d readings in %d blocks, all published, nothing contradicted%n", when, last.lastSeq(), last.height());
    }
}
