package io.eiedge.runtime.cli;

import io.eiedge.ledger.chain.AuditReport;
import io.eiedge.ledger.chain.ChainAudit;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.runtime.broker.EmbeddedBroker;
import io.eiedge.runtime.demo.DemoSubnet;
import io.eiedge.runtime.node.EdgeNode;
import io.eiedge.runtime.node.NodeStatus;
import io.eiedge.runtime.mqtt.Topics;
import io.eiedge.runtime.watch.DeviceSummary;
import io.eiedge.runtime.watch.Verdict;
import io.eiedge.runtime.watch.WatchClient;
import io.eiedge.runtime.watch.Watcher;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code eiedge demo [--seconds N] [--nodes N] [--broker URL]}: the embedded default. A
 * registrar, N simulated devices with their own keys and certificates, an embedded MQTT
 * broker on loopback (unless --broker names one), a live table; with --seconds it stops after
 * N s, verifies everything as an aggregator would and exits 0 only if everything verified.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run simulated devices on loopback with an embedded broker, then verify everything.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seconds", paramLabel = "N",
            description = "stop after N seconds (default: at Ctrl-C), verify, exit 0 only if all verified")
    Integer seconds;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "simulated devices (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--broker", paramLabel = "URL", description = "use this MQTT broker (tcp://host:port) instead of the embedded one")
    URI broker;

    @Option(names = "--data", paramLabel = "DIR", description = "keep the demo's files here (default: a new temporary folder)")
    Path data;

    @Option(names = "--block-age", paramLabel = "SECONDS", defaultValue = "10", description = "seal a block every N seconds (default: ${DEFAULT-VALUE})")
    int blockAge;

    private final CountDownLatch verdictPrinted = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 50) {
            System.err.println("demo: --nodes must be 1..50, was " + nodes);
            return 2;
        }
        if (seconds != null && seconds < 1) {
            System.err.println("demo: --seconds must be at least 1");
            return 2;
        }
        Path dir = data != null ? Files.createDirectories(data) : Files.createTempDirectory("eiedge-demo-");
        EmbeddedBroker embedded = broker == null ? EmbeddedBroker.start() : null;
        URI uri = broker != null ? broker : embedded.uri();
        System.out.printf("eiedge demo: %d devices, broker %s%s, files in %s%n", nodes, uri,
                embedded != null ? " (embedded)" : "", dir);
        DemoSubnet subnet = null;
        Watcher watcher = null;
        WatchClient watch = null;
        try {
            subnet = DemoSubnet.create(dir);
            // the aggregator listens before any device starts, with nothing but the registrar's root
            watcher = new Watcher(subnet.root(), Optional.empty(), InstantSource.system());
            watch = new WatchClient(uri, Topics.DEFAULT_PREFIX, subnet.root(), Optional.empty(), true, watcher::accept);
            watch.start();
            subnet.startNodes(nodes, uri, Duration.ofSeconds(blockAge), Duration.ofSeconds(1), 1000);
            // Ctrl-C ends the run but not the verdict: the hook waits until it is printed
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    verdictPrinted.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end && !stop.await(Math.min(2000, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
                    TimeUnit.MILLISECONDS)) {
                printTable(subnet.nodes());
            }
            printTable(subnet.nodes());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the verdict below
            }
            for (EdgeNode n : subnet.nodes()) {
                if (!n.quiesce(Duration.ofSeconds(10))) {
                    System.err.println("demo: " + n.status().device() + " did not hand everything to the broker in 10 s");
                }
            }
            Thread.sleep(500); // the last deliveries from broker to the aggregator
            List<NodeStatus> last = subnet.nodes().stream().map(EdgeNode::status).toList(); // while the peers still run
            watch.close();
            subnet.close();
            return verdict(subnet, watcher, last);
        } finally {
            verdictPrinted.countDown();
            if (watch != null) {
                watch.close();
            }
            if (subnet != null) {
                subnet.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void printTable(List<EdgeNode> nodes) {
        System.out.printf("%n%-14s %-9s %7s %7s %9s %12s %7s %-7s  %s%n", "device", "state", "seq", "height", "power W",
                "energy Wh", "outbox", "mqtt", "peers (verified height)");
        for (EdgeNode n : nodes) {
            NodeStatus s = n.status();
            long power = 0;
            long energy = 0;
            for (NodeStatus.MeterStatus m : s.meters()) {
                power += plain(m.values().get("1-0:16.7.0"));
                energy += plain(m.values().get("1-0:1.8.0")) + plain(m.values().get("6-0:1.0.0"));
            }
            StringBuilder peers = new StringBuilder();
            for (NodeStatus.PeerStatus p : s.peers()) {
                peers.append(p.id()).append(':').append(p.verifiedHeight()).append(' ');
            }
            System.out.printf("%-14s %-9s %7d %7d %9d %12d %7d %-7s  %s%n", s.device(), s.state(), s.seq(), s.height(), power,
                    energy, s.outboxDepth(), s.mqttConnected() ? "online" : "offline", peers.toString().trim());
        }
        System.out.flush();
    }

    /** "1234.5 W" → 1234 (the table shows whole units). */
    private static long plain(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return new java.math.BigDecimal(value.split(" ")[0]).longValue();
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int verdict(DemoSubnet subnet, Watcher watcher, List<NodeStatus> last) throws Exception {
        LedgerVerifier verifier = new LedgerVerifier(subnet.root(), null, InstantSource.system());
        List<String> failures = new ArrayList<>();
        System.out.println();
        System.out.println("verification against the registrar root:");
        for (Path d : subnet.dataDirs()) {
            AuditReport r = ChainAudit.audit(d.resolve("chain"), verifier);
            System.out.printf("  chain %-14s height %4d, %6d readings verified%s%n", r.deviceId(), r.height(), r.readingsVerified(),
                    r.ok() ? "" : "  PROBLEMS: " + r.problems());
            if (!r.ok() || r.readingsVerified() == 0) {
                failures.add(r.deviceId() + (r.ok() ? ": no readings" : ": " + r.problems()));
            }
        }
        System.out.println("peers witnessing each other over CoAP/DTLS (newest verified header of each peer):");
        for (NodeStatus s : last) {
            StringBuilder line = new StringBuilder();
            for (NodeStatus.PeerStatus p : s.peers()) {
                line.append(p.id()).append(" up to ").append(p.verifiedHeight()).append(", ");
            }
            System.out.printf("  %-14s %s%n", s.device(), line.isEmpty() ? "(no peers)" : line.substring(0, line.length() - 2));
        }
        System.out.println("as an aggregator on MQTT (the registrar root is the only trust anchor):");
        Verdict v = watcher.verdict();
        for (DeviceSummary d : watcher.summaries()) {
            System.out.printf("  %-14s %6d readings ok, %d forged, %d missing, %d headers ok, %d blocks verified%n", d.device(),
                    d.readingsOk(), d.forged(), d.missing(), d.headersOk(), d.blocksVerified());
        }
        for (var p : v.problems()) {
            System.out.println("  PROBLEM: " + p);
        }
        System.out.println("  " + v.headline());
        if (!v.clean()) {
            failures.add("aggregator: " + v.headline());
        }
        if (v.devices() < subnet.nodes().size()) {
            failures.add("aggregator heard from " + v.devices() + " of " + subnet.nodes().size() + " devices");
        }
        System.out.println(failures.isEmpty() ? "VERIFIED: every chain verifies from genesis and every reading received verifies"
                : "NOT VERIFIED: " + String.join("; ", failures));
        return failures.isEmpty() ? 0 : 1;
    }
}
