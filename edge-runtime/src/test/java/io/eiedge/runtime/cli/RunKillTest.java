package io.eiedge.runtime.cli;

import io.eiedge.ledger.chain.AuditReport;
import io.eiedge.ledger.chain.ChainAudit;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.node.EdgeNode;
import io.eiedge.runtime.testsupport.FreePorts;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import io.eiedge.runtime.testsupport.TcpRelay;
import io.eiedge.drivers.MeterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
    private static final char[] ROOT_PASS = "registrar passphrase".toCharArray();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String DEVICE = "router-11";

    @TempDir
    Path dir;

    @Test
    void aDaemonKilledAtRandomMomentsLosesNoSignedReadingAndTheAggregatorGetsEachExactlyAsChained() throws Exception {
        long seed = Long.getLong("runkill.seed", System.nanoTime());
        int kills = Integer.getInteger("runkill.kills", 8);
        Random rnd = new Random(seed);
        System.out.printf("run kill test: seed %d (rerun with -Drunkill.seed=%d), %d kills%n", seed, seed, kills);

        Path regDir = Files.createDirectories(dir.resolve("registrar"));
        Registrar.init(regDir, "test registrar", ROOT_PASS, Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "test");
        Path identityDir;
        try (Registrar registrar = Registrar.open(regDir, Clock.systemUTC())) {
            identityDir = IssuedIdentity.issue(registrar, ROOT_PASS, dir, DEVICE, "sub-kill", "router");
        }
        Path root = regDir.resolve(Registrar.ROOT_CERT);
        LedgerVerifier verifier = new LedgerVerifier(LedgerCommand.readCertificate(root), null, InstantSource.system());
        TrustedDevice trusted = verifier.trust(LedgerCommand.readCertificate(identityDir.resolve(IdentityStore.CERT)).getEncoded());
        Path data = Files.createDirectories(dir.resolve("data"));

        try (Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             TcpRelay link = new TcpRelay(broker.port());
             MosquittoSub sub = MosquittoSub.plain(broker, "ei/v1/sub-kill/" + DEVICE + "/#", true)) {
            Path config = writeConfig(identityDir, data, "tcp://127.0.0.1:" + link.port());
            for (int k = 0; k < kills; k++) {
                boolean linkDown = rnd.nextInt(3) == 0; // publishes are lost, a backlog builds, then drains
                // one kill in four lands in the start-up (ledger recovery, first connect), timed from the
                // process start; the others are timed from the node's "running" line, however slow the JVM
                boolean inStartUp = rnd.nextInt(4) == 0;
                int killAt = inStartUp ? 300 + rnd.nextInt(1700) : 200 + rnd.nextInt(3000);
                int downAt = linkDown ? rnd.nextInt(killAt) : -1;
                int upAt = linkDown ? downAt + 200 + rnd.nextInt(killAt + 1000 - downAt) : -1; // after the kill, sometimes
                Path log = dir.resolve("run-" + k + ".log");
                Process child = new ProcessBuilder(JAVA, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"), EiedgeCli.class.getName(), "run", "--config", config.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!inStartUp) {
                    awaitRunning(child, log, k, seed);
                }
                long t0 = System.nanoTime();
                if (linkDown) {
                    sleepUntil(t0, downAt);
                    link.blackHole();
                    if (upAt < killAt) {
                        sleepUntil(t0, upAt);
                        link.restore();
                    }
                }
                sleepUntil(t0, killAt);
                if (!child.isAlive()) {
                    throw new AssertionError("eiedge run died on its own in round " + k + " with exit code " + child.exitValue()
                            + " (seed " + seed + "):\n" + Files.readString(log));
                }
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                if (linkDown && upAt >= killAt) {
                    sleepUntil(t0, upAt);
                    link.restore();
                }
                System.out.printf("  kill %2d %4d ms after %s%s: %d messages received so far%n", k, killAt,
                        inStartUp ? "the process started" : "the node said it runs",
                        linkDown ? " (link dead from " + downAt + " to " + upAt + " ms)" : "", sub.received().size());
            }

            // what the kills left, read as an aggregator's auditor would (no process holds it now)
            AuditReport afterKills = ChainAudit.audit(data.resolve("chain"), verifier);
            assertTrue(afterKills.ok(), "the chain verifies right after the last kill (seed " + seed + "): " + afterKills.problems());
            assertTrue(afterKills.nextSeq() > 50, "the killed runs made readings: next seq " + afterKills.nextSeq() + " (seed " + seed + ")");

            // the last start: it must open what the kills left, carry on and drain everything
            EiedgeConfig c = ConfigLoader.load(config);
            try (MeterFactory meters = new MeterFactory(Clock.systemUTC(), data.resolve("pulses"), () -> {
                throw new IllegalStateException("no GPIO");
            }); EdgeNode node = EdgeNode.start(c, RunCommand.loadIdentity(c), meters, Clock.systemUTC())) {
                TimeUnit.SECONDS.sleep(1);
                assertTrue(node.quiesce(Duration.ofSeconds(60)), "the outbox drains after the last kill (seed " + seed + ")");
                long last = node.chain().nextSeq() - 1;
                long height = node.chain().head().height();
                assertTrue(last + 1 >= afterKills.nextSeq() && height >= afterKills.height(), "the last run carried on from seq "
                        + afterKills.nextSeq() + ", height " + afterKills.height() + ": now seq " + last + ", height " + height);
                System.out.printf("  after the last start: %d readings in %d blocks, all published%n", last, height);

                Map<Long, byte[]> chainedReadings = new HashMap<>();
                for (long s = 1; s <= last; ) {
                    for (SignedReading r : node.chain().readingsFrom(s, 1000)) {
                        chainedReadings.put(r.seq(), r.cose().encoded());
                        s = r.seq() + 1;
                    }
                }
                Map<Long, byte[]> chainedHeaders = new HashMap<>();
                for (SignedHeader h : node.chain().headers(0, (int) height + 1)) {
                    chainedHeaders.put(h.height(), h.cose().encoded());
                }
                assertEquals(last, chainedReadings.size());
                assertEquals(height + 1, chainedHeaders.size());

                Map<Long, byte[]> gotReadings = new HashMap<>();
                Map<Long, byte[]> gotHeaders = new HashMap<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int checked = 0;
                while ((gotReadings.size() < last || gotHeaders.size() < height + 1) && System.nanoTime() < deadline) {
                    List<MosquittoSub.Message> all = sub.received();
                    for (MosquittoSub.Message m : all.subList(checked, all.size())) {
                        byte[] cose = HexFormat.of().parseHex(m.payload());
                        if (m.topic().endsWith("/reading")) {
                            SignedReading r = verifier.verifyReading(cose, trusted);
                            byte[] chained = chainedReadings.get(r.seq());
                            assertNotNull(chained, "the subscriber got seq " + r.seq() + ", which the chain does not hold (seed " + seed + ")");
                            assertEquals(HexFormat.of().formatHex(chained), m.payload(),
                                    "seq " + r.seq() + " was published with other content than the chain keeps (seed " + seed + ")");
                            gotReadings.put(r.seq(), cose);
                        } else if (m.topic().endsWith("/header")) {
                            SignedHeader h = SignedHeader.decode(cose);
                            byte[] chained = chainedHeaders.get(h.height());
                            assertNotNull(chained, "the subscriber got header " + h.height() + ", beyond the chain (seed " + seed + ")");
                            assertEquals(HexFormat.of().formatHex(chained), m.payload(),
                                    "header " + h.height() + " was published with other content than the chain keeps (seed " + seed + ")");
                            gotHeaders.put(h.height(), cose);
                        }
                    }
                    checked = all.size();
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                List<Long> missing = new ArrayList<>();
                for (long s = 1; s <= last && missing.size() < 20; s++) {
                    if (!gotReadings.containsKey(s)) {
                        missing.add(s);
                    }
                }
                assertEquals(List.of(), missing, "readings in the chain that never reached the subscriber, of " + last + " (seed " + seed + ")");
                assertEquals(height + 1, gotHeaders.size(), "headers 0.." + height + " all reached the subscriber (seed " + seed + ")");
            }
            AuditReport audit = ChainAudit.audit(data.resolve("chain"), verifier);
            assertTrue(audit.ok(), "the chain verifies from genesis after " + kills + " kills (seed " + seed + "): " + audit.problems());
            assertTrue(audit.anchoredToRoot());
        }
    }

    /** Waits for the node's "running with N meters" log line (it reads meters from then on). */
    private static void awaitRunning(Process child, Path log, int round, long seed) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(log) && Files.readString(log).contains(": running with "))) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("eiedge run " + (child.isAlive() ? "did not say it runs within 60 s" : "exited " + child.exitValue())
                        + " in round " + round + " (seed " + seed + "):\n" + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static void sleepUntil(long t0, int ms) throws InterruptedException {
        long left = t0 + TimeUnit.MILLISECONDS.toNanos(ms) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** As fast as the config allows: {@code n} simulated meters polled every 100 ms. */
    private static String meters(int n) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append("  - id: m").append(i).append("\n    type: simulated\n    kind: ").append(i % 2 == 0 ? "pv" : "load")
                    .append("\n    seed: ").append(i).append("\n    peak-power: 5kW\n    poll-interval: 100ms\n");
        }
        return yaml.toString();
    }

    private Path writeConfig(Path identityDir, Path data, String brokerUrl) throws Exception {
        Path config = dir.resolve("eiedge.yaml");
        Files.writeString(config, "device:\n  id: " + DEVICE + "\n  subnet: sub-kill\n  role: router\n"
                + "identity:\n  dir: " + identityDir + "\n"
                + "meters:\n" + meters(6)
                + "ledger:\n  data-dir: " + data + "\n  block:\n    max-readings: 20\n    max-age: 1s\n"
                + "mqtt:\n  broker: " + brokerUrl + "\n  insecure: true\n  drain-rate: 2000\n"
                + "  reconnect:\n    min: 100ms\n    max: 500ms\n"
                + "coap:\n  port: " + FreePorts.udp() + "\n");
        return config;
    }
}
