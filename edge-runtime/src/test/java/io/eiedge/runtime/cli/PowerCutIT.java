package io.eiedge.runtime.cli;

import io.eiedge.ledger.chain.AuditReport;
import io.eiedge.runtime.testsupport.FaultFs;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power cuts, not only kills: {@code eiedge run} in a child JVM keeps its data folder on
 * {@link FaultFs}, which holds every byte not covered by an fsync in memory. At a random instant
 * the file system is frozen (nothing can reach the disk from then on), the process is SIGKILLed
 * and every unsynced byte is dropped — what a power cut does, and what SIGKILL alone never shows
 * because the page cache survives a kill. Six meters at 10 Hz feed a real mosquitto; a persistent
 * subscriber (clean session false, QoS 1) records everything, as an aggregator would.
 *
 * <p>After each restart (once the node says it runs) the chain, frozen for a moment, verifies from
 * genesis; after every cut nothing the subscriber received contradicts what it received before (no
 * seq or height with two contents). After the last cut the node starts once more and drains: every
 * reading received is in the chain byte for byte, and every reading and header chained reached the
 * subscriber.
 *
 * <p>The second variant cuts during writeback that persisted a later part of the unsynced tail but
 * not an earlier one (a hole of zeros, whole frames after it): beyond the last durable point that is
 * a torn tail, to be cut, and the node must start.
 *
 * <p>Every fsync takes 15 ms (250 ms in the second variant), as on an SD card, so a cut can land between a write and the fsync that
 * covers it. Seeded: {@code -Dpowercut.seed=N} reruns one; {@code -Dpowercut.cuts=N} sets the cuts of
 * the first variant (20 by default, 200 for a long run), the second makes half as many.
 */
class PowerCutIT {
    private static final String DEVICE = "router-12";
    /** What an fdatasync costs on a cheap SD card: the window in which a write is done but not durable. */
    private static final int SD_CARD_FSYNC_MS = 15;
    /** A worn card in the second variant, so that cuts often land between a batch's write and its fsync. */
    private static final int SLOW_CARD_FSYNC_MS = 250;

    @TempDir
    Path dir;

    @Test
    @Disabled("until issue 11's storage rewrite lands: readings are published before their fsync returns, so a cut "
            + "re-signs a seq the subscriber already has with other content")
    void aPowerCutAtAnyInstantLeavesAChainThatVerifiesAndNothingTheAggregatorGotIsEverContradicted() throws Exception {
        cutRepeatedly(false);
    }

    @Test
    @Disabled("until issue 11's storage rewrite lands: a hole with whole frames after it is taken for damage, "
            + "so the node refuses to open the chain")
    void aPowerCutThatPersistedALaterPartOfTheUnsyncedTailButNotAnEarlierOneIsCutAsATornTailAndTheNodeStarts() throws Exception {
        cutRepeatedly(true);
    }

    private void cutRepeatedly(boolean persistLaterPart) throws Exception {
        long seed = Long.getLong("powercut.seed", System.nanoTime());
        int cuts = persistLaterPart ? Math.max(1, Integer.getInteger("powercut.cuts", 20) / 2) : Integer.getInteger("powercut.cuts", 20);
        Random rnd = new Random(seed);
        String seedNote = "(seed " + seed + ", rerun with -Dpowercut.seed=" + seed + ")";
        System.out.printf("power cut test%s: seed %d, %d cuts%n", persistLaterPart ? " (later part persists)" : "", seed, cuts);

        NodeRig rig = NodeRig.create(dir, DEVICE, "sub-cut");
        try (FaultFs fs = FaultFs.mount(dir.resolve("disk"));
             Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             MosquittoSub sub = MosquittoSub.persistent(broker, rig.topics(), "aggregator-cut")) {
            AggregatorView upstream = new AggregatorView(sub, rig.verifier, rig.trusted);
            // a slower card for the second variant: longer unsynced tails, spanning pages and write calls
            // (a node that writes a whole sync interval and fdatasyncs at once has a tail only during the fsync)
            fs.fsyncDelay(persistLaterPart ? SLOW_CARD_FSYNC_MS : SD_CARD_FSYNC_MS);
            Path data = fs.root().resolve("data");
            Path config = rig.writeConfig(data, broker.url("tcp"), 6, "");
            int cutsThatLostChainBytes = 0;
            int holesInChain = 0;
            for (int k = 0; k < cuts; k++) {
                String round = "in round " + k + " " + seedNote;
                // one cut in five lands in the start-up (recovery, first connect, first seal), timed from the
                // process start; the others from the node's "running" line, however slow the JVM
                boolean inStartUp = rnd.nextInt(5) == 0;
                int cutAt = inStartUp ? 300 + rnd.nextInt(2000) : 100 + rnd.nextInt(2400);
                NodeRig.Run child = rig.start(config);
                long t0 = System.nanoTime();
                if (!inStartUp) {
                    child.awaitRunning(round);
                    t0 = System.nanoTime();
                    if (k > 0) {
                        auditWhileFrozen(fs, rig, data, "after the restart " + round);
                    }
                }
                NodeRig.sleepUntil(t0, cutAt);
                child.assertAlive(round);

                fs.freeze(); // the instant of the cut: nothing reaches the disk from here on
                child.signalKill();
                String summary = persistLaterPart ? fs.cutPersistingALaterPart(rnd.nextLong()) : fs.cut();
                fs.thaw();
                child.awaitExit();

                if (lostChainBytes(summary)) {
                    cutsThatLostChainBytes++;
                }
                if (summary.matches(".*holes=.*chain/(readings|headers)/.*")) {
                    holesInChain++;
                }
                assertEquals(List.of(), upstream.update().contradictions(), "the subscriber got contradicting messages " + round);
                System.out.printf("  cut %3d %4d ms after %s: %d readings received, highest seq %d; %s%n", k, cutAt,
                        inStartUp ? "the process started" : "the node said it runs", upstream.readings().size(),
                        upstream.highestSeq(), summary);
            }
            // the rig must have cut into unsynced chain data, or this test proved nothing
            assertTrue(cutsThatLostChainBytes > 0, "no cut of " + cuts + " dropped unsynced bytes of the chain " + seedNote);
            if (persistLaterPart) {
                assertTrue(holesInChain > 0, "no cut of " + cuts + " left a hole in a chain segment " + seedNote);
            }
            System.out.printf("  %d of %d cuts dropped unsynced chain bytes; %d left a hole with data after it%n",
                    cutsThatLostChainBytes, cuts, holesInChain);

            NodeRig.Drained last = rig.drainAndCompare(config, upstream, null, s -> false, seedNote);
            System.out.printf("  after the last start: %d readings in %d blocks, all published%n", last.lastSeq(), last.height());
            AuditReport audit = rig.audit(data);
            NodeRig.assertVerified(audit, "the chain verifies from genesis after " + cuts + " power cuts " + seedNote);
            assertTrue(audit.anchoredToRoot());
            assertTrue(last.lastSeq() > 50, "the runs between the cuts made readings: last seq " + last.lastSeq() + " " + seedNote);
        }
    }

    /** Freezes the file system so the running node cannot write mid-audit, audits from genesis, thaws. */
    private static void auditWhileFrozen(FaultFs fs, NodeRig rig, Path data, String when) throws Exception {
        fs.freeze();
        try {
            NodeRig.assertVerified(rig.audit(data), "the chain verifies from genesis " + when);
        } finally {
            fs.thaw();
        }
    }

    /** Whether a cut's summary ({@code lost=FILE:BYTES,…}) names a file of the chain. */
    static boolean lostChainBytes(String summary) {
        for (String word : summary.split(" ")) {
            if (word.startsWith("lost=") && word.contains("chain/")) {
                return true;
            }
        }
        return false;
    }
}
