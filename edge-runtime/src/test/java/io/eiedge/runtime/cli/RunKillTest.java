package io.eiedge.runtime.cli;

import io.eiedge.ledger.chain.AuditReport;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import io.eiedge.runtime.testsupport.TcpRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole daemon, not just the chain, under SIGKILL: {@code eiedge run} in a child JVM reads
 * six fast meters, signs, chains and publishes to a real mosquitto, and is killed at random
 * moments — while starting, while appending and sealing, while the link to the broker is dead
 * (a relay that drops every byte: what was sent then is lost) and while the outbox drains the
 * backlog that built up meanwhile. After the last kill the node runs once more and drains. Then:
 * the chain verifies from genesis with the registrar root; every reading and every header in it
 * reached the subscriber; and nothing the subscriber ever received differs from the chain's
 * bytes for that seq or height — a restart re-publishes (at least once) but never re-signs a
 * seq with other content.
 *
 * <p>Seeded: rerun one with {@code -Drunkill.seed=N}; {@code -Drunkill.kills=N} sets the kills.
 */
class RunKillTest {
    private static final String DEVICE = "router-11";

    @TempDir
    Path dir;

    @Test
    void aDaemonKilledAtRandomMomentsLosesNoSignedReadingAndTheAggregatorGetsEachExactlyAsChained() throws Exception {
        long seed = Long.getLong("runkill.seed", System.nanoTime());
        int kills = Integer.getInteger("runkill.kills", 8);
        Random rnd = new Random(seed);
        String seedNote = "(seed " + seed + ")";
        System.out.printf("run kill test: seed %d (rerun with -Drunkill.seed=%d), %d kills%n", seed, seed, kills);

        NodeRig rig = NodeRig.create(dir, DEVICE, "sub-kill");
        Path data = Files.createDirectories(dir.resolve("data"));

        try (Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             TcpRelay link = new TcpRelay(broker.port());
             MosquittoSub sub = MosquittoSub.plain(broker, rig.topics(), true)) {
            AggregatorView upstream = new AggregatorView(sub, rig.verifier, rig.trusted);
            Path config = rig.writeConfig(data, "tcp://127.0.0.1:" + link.port(), 6, "");
            for (int k = 0; k < kills; k++) {
                boolean linkDown = rnd.nextInt(3) == 0; // publishes are lost, a backlog builds, then drains
                // one kill in four lands in the start-up (ledger recovery, first connect), timed from the
                // process start; the others are timed from the node's "running" line, however slow the JVM
                boolean inStartUp = rnd.nextInt(4) == 0;
                int killAt = inStartUp ? 300 + rnd.nextInt(1700) : 200 + rnd.nextInt(3000);
                int downAt = linkDown ? rnd.nextInt(killAt) : -1;
                int upAt = linkDown ? downAt + 200 + rnd.nextInt(killAt + 1000 - downAt) : -1; // after the kill, sometimes
                NodeRig.Run child = rig.start(config);
                String round = "in round " + k + " " + seedNote;
                if (!inStartUp) {
                    child.awaitRunning(round);
                }
                long t0 = System.nanoTime();
                if (linkDown) {
                    NodeRig.sleepUntil(t0, downAt);
                    link.blackHole();
                    if (upAt < killAt) {
                        NodeRig.sleepUntil(t0, upAt);
                        link.restore();
                    }
                }
                NodeRig.sleepUntil(t0, killAt);
                child.assertAlive(round);
                child.kill(); // SIGKILL
                if (linkDown && upAt >= killAt) {
                    NodeRig.sleepUntil(t0, upAt);
                    link.restore();
                }
                System.out.printf("  kill %2d %4d ms after %s%s: %d messages received so far%n", k, killAt,
                        inStartUp ? "the process started" : "the node said it runs",
                        linkDown ? " (link dead from " + downAt + " to " + upAt + " ms)" : "", sub.received().size());
            }

            // what the kills left, read as an aggregator's auditor would (no process holds it now)
            AuditReport afterKills = rig.audit(data);
            NodeRig.assertVerified(afterKills, "the chain verifies right after the last kill " + seedNote);
            assertTrue(afterKills.nextSeq() > 50, "the killed runs made readings: next seq " + afterKills.nextSeq() + " " + seedNote);

            // the last start: it must open what the kills left, carry on and drain everything
            NodeRig.Drained last = rig.drainAndCompare(config, upstream, afterKills, s -> false, seedNote);
            System.out.printf("  after the last start: %d readings in %d blocks, all published%n", last.lastSeq(), last.height());
            AuditReport audit = rig.audit(data);
            NodeRig.assertVerified(audit, "the chain verifies from genesis after " + kills + " kills " + seedNote);
            assertTrue(audit.anchoredToRoot());
        }
    }
}
