package io.eiedge.runtime.cli;

import io.eiedge.drivers.MeterFactory;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One device as the slow tests run it: a registrar and an identity issued by it, a configuration
 * with fast simulated meters, {@code eiedge run} (and {@code status}, {@code ledger verify}) in
 * child JVMs, and the final check every fault test ends with — one more start that drains the
 * outbox, after which every reading and header in the chain reached the subscriber exactly as
 * chained. {@link RunKillTest}, {@link PowerCutIT}, {@link FullDiskIT} and
 * {@link DamageIT} share it.
 */
final class NodeRig {
    static final char[] ROOT_PASS = "registrar passphrase".toCharArray();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    final Path dir;
    final String device;
    final String subnet;
    final Path identityDir;
    final Path root;
    final LedgerVerifier verifier;
    final TrustedDevice trusted;
    private int runs;
    private Path logs;

    private NodeRig(Path dir, String device, String subnet, Path identityDir, Path root, LedgerVerifier verifier, TrustedDevice trusted) {
        this.dir = dir;
        this.device = device;
        this.subnet = subnet;
        this.identityDir = identityDir;
        this.root = root;
        this.verifier = verifier;
        this.trusted = trusted;
    }

    /** A registrar in {@code dir/registrar} and router {@code device} of {@code subnet}, issued by it. */
    static NodeRig create(Path dir, String device, String subnet) throws Exception {
        Path regDir = Files.createDirectories(dir.resolve("registrar"));
        Registrar.init(regDir, "test registrar", ROOT_PASS, Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "test");
        Path identityDir;
        try (Registrar registrar = Registrar.open(regDir, Clock.systemUTC())) {
            identityDir = IssuedIdentity.issue(registrar, ROOT_PASS, dir, device, subnet, "router");
        }
        Path root = regDir.resolve(Registrar.ROOT_CERT);
        LedgerVerifier verifier = new LedgerVerifier(LedgerCommand.readCertificate(root), null, InstantSource.system());
        TrustedDevice trusted = verifier.trust(LedgerCommand.readCertificate(identityDir.resolve(IdentityStore.CERT)).getEncoded());
        return new NodeRig(dir, device, subnet, identityDir, root, verifier, trusted);
    }

    /** The topic filter of everything this device publishes. */
    String topics() {
        return "ei/v1/" + subnet + "/" + device + "/#";
    }

    /** As fast as the config allows: {@code n} simulated meters polled every 100 ms. */
    static String meters(int n) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append("  - id: m").append(i).append("\n    type: simulated\n    kind: ").append(i % 2 == 0 ? "pv" : "load")
                    .append("\n    seed: ").append(i).append("\n    peak-power: 5kW\n    poll-interval: 100ms\n");
        }
        return yaml.toString();
    }

    /**
     * Writes {@code dir/eiedge.yaml}: {@code meters} fast meters, data in {@code data}, blocks of up
     * to 20 readings or 1 s, the broker at {@code brokerUrl}, {@code extraLedger} appended to the
     * ledger section (e.g. {@code "  sync-interval: 1s\n"}).
     */
    Path writeConfig(Path data, String brokerUrl, int meters, String extraLedger) throws Exception {
        Path config = dir.resolve("eiedge.yaml");
        Files.writeString(config, "device:\n  id: " + device + "\n  subnet: " + subnet + "\n  role: router\n"
                + "identity:\n  dir: " + identityDir + "\n"
                + "meters:\n" + meters(meters)
                + "ledger:\n  data-dir: " + data + "\n  block:\n    max-readings: 20\n    max-age: 1s\n" + extraLedger
                + "mqtt:\n  broker: " + brokerUrl + "\n  insecure: true\n  drain-rate: 2000\n"
                + "  reconnect:\n    min: 100ms\n    max: 500ms\n"
                + "coap:\n  port: " + FreePorts.udp() + "\n");
        return config;
    }

    /**
     * Starts {@code eiedge run --config config} in a child JVM with a Pi-sized heap. Its output goes to
     * {@code target/node-logs/DEVICE-TIME/run-N.log} (kept after the test, unlike its temporary folder;
     * {@code -Deiedge.test.logs=DIR} puts them elsewhere).
     */
    Run start(Path config) throws Exception {
        if (logs == null) {
            logs = Files.createDirectories(Path.of(System.getProperty("eiedge.test.logs", "target/node-logs"))
                    .resolve(device + "-" + java.time.LocalDateTime.now().toString().replace(':', '-')));
        }
        Path log = logs.resolve("run-" + runs++ + ".log");
        Process p = new ProcessBuilder(JAVA, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), EiedgeCli.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Run(p, log);
    }

    /** One {@code eiedge run} child process and its log. */
    record Run(Process process, Path log) {
        /** Waits for the node's "running with N meters" line (it reads meters from then on). */
        Run awaitRunning(String when) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(log) && Files.readString(log).contains(": running with "))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("eiedge run " + (process.isAlive() ? "did not say it runs within 60 s"
                            : "exited " + process.exitValue()) + " " + when + ":\n" + logText());
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return this;
        }

        /** Fails unless the process is still up. */
        void assertAlive(String when) {
            if (!process.isAlive()) {
                throw new AssertionError("eiedge run died on its own " + when + " with exit code " + process.exitValue() + ":\n" + logText());
            }
        }

        /** SIGKILL without waiting (a process blocked on a frozen file system dies when it is thawed). */
        void signalKill() {
            process.destroyForcibly();
        }

        void awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "eiedge run did not end within 20 s of SIGKILL");
        }

        void kill() throws InterruptedException {
            signalKill();
            awaitExit();
        }

        /** SIGTERM, as systemd stops it; waits for the exit. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("eiedge run did not stop within 30 s of SIGTERM:\n" + logText());
            }
            return process.exitValue();
        }

        String logText() {
            try {
                String s = Files.readString(log);
                return s.length() > 20_000 ? "…" + s.substring(s.length() - 20_000) : s;
            } catch (Exception e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    /** What a CLI command printed (stdout and stderr together) and its exit code. */
    record Cli(int exit, String output) {
    }

    /** Runs {@code eiedge ARGS…} in a child JVM, as a technician would at the shell. */
    static Cli eiedge(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), EiedgeCli.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "eiedge " + String.join(" ", args) + " did not end within 60 s");
        return new Cli(p.exitValue(), out);
    }

    /** {@code eiedge ledger verify --config CONFIG --root ROOT}. */
    Cli ledgerVerify(Path config) throws Exception {
        return eiedge("ledger", "verify", "--config", config.toString(), "--root", root.toString());
    }

    /** {@code eiedge status --config CONFIG --json}. */
    static Cli status(Path config) throws Exception {
        return eiedge("status", "--config", config.toString(), "--json");
    }

    /** Audits the chain folder from genesis with the registrar root (no process may be writing it). */
    AuditReport audit(Path data) throws Exception {
        return ChainAudit.audit(data.resolve("chain"), verifier);
    }

    /** sleeps until {@code ms} after {@code t0} (System.nanoTime). */
    static void sleepUntil(long t0, int ms) throws InterruptedException {
        long left = t0 + TimeUnit.MILLISECONDS.toNanos(ms) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** What the last start found and left. */
    record Drained(long lastSeq, long height) {
    }

    /**
     * The last start, in this JVM: opens what the faults left, carries on, drains the outbox; then every
     * reading and header in the chain reached the subscriber, and nothing the subscriber ever received
     * differs from the chain's bytes for that seq or height. {@code lost} seqs (declared lost by the
     * node after damage) are exempt from "in the chain". {@code seedNote} goes into every message.
     */
    Drained drainAndCompare(Path config, AggregatorView upstream, AuditReport before, java.util.function.LongPredicate lost,
                            String seedNote) throws Exception {
        EiedgeConfig c = ConfigLoader.load(config);
        try (MeterFactory meters = new MeterFactory(Clock.systemUTC(), c.ledger().dataDir().resolve("pulses"), () -> {
            throw new IllegalStateException("no GPIO");
        }); EdgeNode node = EdgeNode.start(c, RunCommand.loadIdentity(c), meters, Clock.systemUTC())) {
            TimeUnit.SECONDS.sleep(1);
            assertTrue(node.quiesce(Duration.ofSeconds(60)), "the outbox drains after the last fault " + seedNote);
            long last = node.chain().nextSeq() - 1;
            long height = node.chain().head().height();
            if (before != null) {
                assertTrue(last + 1 >= before.nextSeq() && height >= before.height(), "the last run carried on from seq "
                        + before.nextSeq() + ", height " + before.height() + ": now seq " + last + ", height " + height + " " + seedNote);
            }
            Map<Long, String> chainedReadings = new HashMap<>();
            for (long s = 1; s <= last; ) {
                List<SignedReading> batch = node.chain().readingsFrom(s, 1000);
                if (batch.isEmpty()) {
                    break;
                }
                for (SignedReading r : batch) {
                    chainedReadings.put(r.seq(), HexFormat.of().formatHex(r.cose().encoded()));
                    s = r.seq() + 1;
                }
            }
            List<Long> holes = new ArrayList<>();
            for (long s = 1; s <= last && holes.size() < 20; s++) {
                if (!lost.test(s) && !chainedReadings.containsKey(s)) {
                    holes.add(s);
                }
            }
            assertEquals(List.of(), holes, "seqs below the next one (" + (last + 1) + ") the chain does not hold " + seedNote);
            Map<Long, String> chainedHeaders = new HashMap<>();
            for (SignedHeader h : node.chain().headers(0, (int) height + 1)) {
                chainedHeaders.put(h.height(), HexFormat.of().formatHex(h.cose().encoded()));
            }
            assertEquals(height + 1, chainedHeaders.size(), "headers 0.." + height + " are all in the chain " + seedNote);

            // wait until everything chained has arrived (or 20 s)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && (!upstream.update().readings().keySet().containsAll(chainedReadings.keySet())
                    || upstream.headers().size() < height + 1)) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertEquals(List.of(), upstream.contradictions(), "what reached the subscriber never contradicts itself " + seedNote);
            List<String> differs = new ArrayList<>();
            upstream.readings().forEach((seq, hex) -> {
                if (lost.test(seq)) {
                    return;
                }
                String chained = chainedReadings.get(seq);
                if (chained == null) {
                    differs.add("seq " + seq + " reached the subscriber but is not in the chain");
                } else if (!chained.equals(hex)) {
                    differs.add("seq " + seq + " reached the subscriber with other bytes than the chain keeps");
                }
            });
            upstream.headers().forEach((h, hex) -> {
                String chained = chainedHeaders.get(h);
                if (chained == null) {
                    differs.add("header " + h + " reached the subscriber but is not in the chain");
                } else if (!chained.equals(hex)) {
                    differs.add("header " + h + " reached the subscriber with other bytes than the chain keeps");
                }
            });
            assertEquals(List.of(), differs.subList(0, Math.min(20, differs.size())),
                    differs.size() + " readings or headers received differ from the chain " + seedNote);
            List<Long> missing = new ArrayList<>();
            for (long s : chainedReadings.keySet().stream().sorted().toList()) {
                if (!upstream.readings().containsKey(s) && missing.size() < 20) {
                    missing.add(s);
                }
            }
            assertEquals(List.of(), missing, "readings in the chain that never reached the subscriber, of " + last + " " + seedNote);
            assertEquals(height + 1, upstream.headers().size(), "headers 0.." + height + " all reached the subscriber " + seedNote);
            return new Drained(last, height);
        }
    }

    /** Fails with {@code what} unless {@code audit} verified, listing the first problems. */
    static void assertVerified(AuditReport audit, String what) {
        assertNotNull(audit);
        assertTrue(audit.ok(), what + ": " + audit.problems().subList(0, Math.min(10, audit.problems().size())));
    }
}
