package io.eiedge.bench.runtime;

import io.eiedge.runtime.broker.EmbeddedBroker;
import io.eiedge.runtime.demo.DemoSubnet;
import io.eiedge.runtime.node.EdgeNode;
import io.eiedge.runtime.node.NodeStatus;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * End-to-end figures of issue 5, printed as ratios from one run:
 * <ul>
 *   <li>{@code rate}: readings/s from meter read to broker-acknowledged publish (simulated meters
 *   polled as fast as they go, one node, QoS 1 to a broker on loopback) ÷ raw BouncyCastle
 *   Ed25519 sign rate measured in the same JVM;</li>
 *   <li>{@code memory}: RSS and heap-after-GC of a node with 4 meters, run for an hour's worth of
 *   1 Hz readings (14,400) at accelerated pace — start the JVM with -Xmx48m for the issue's
 *   figure.</li>
 * </ul>
 * Usage: {@code scripts/bench.sh --main io.eiedge.bench.runtime.EndToEndBench [rate|memory] [tcp://broker:port]}.
 */
public final class EndToEndBench {
    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "rate";
        URI broker = args.length > 1 ? URI.create(args[1]) : null;
        System.setProperty("tinylog.writer.level", "warn");
        try (EmbeddedBroker embedded = broker == null ? EmbeddedBroker.start() : null) {
            URI uri = broker != null ? broker : embedded.uri();
            switch (what) {
                case "rate" -> rate(uri);
                case "memory" -> memory(uri);
                default -> throw new IllegalArgumentException("rate or memory, not " + what);
            }
        }
    }

    private static void rate(URI broker) throws Exception {
        double signRate = rawSignRate();
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "eiedge-e2e-");
        try (DemoSubnet subnet = DemoSubnet.start(dir, 1, broker, Duration.ofSeconds(300), Duration.ZERO, 100_000)) {
            EdgeNode node = subnet.nodes().get(0);
            Thread.sleep(3000); // warm up
            NodeStatus a = node.status();
            long t0 = System.nanoTime();
            Thread.sleep(15_000);
            NodeStatus b = node.status();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double published = (b.publishedSeq() - a.publishedSeq()) / seconds;
            double read = (b.seq() - a.seq()) / seconds;
            System.out.printf("raw Ed25519 sign: %.0f/s%n", signRate);
            System.out.printf("read+sign+append: %.0f readings/s (ratio to sign %.2f)%n", read, read / signRate);
            System.out.printf("end to end (broker PUBACK): %.0f readings/s, ratio to raw sign = %.2f%n", published, published / signRate);
            System.out.printf("outbox depth at the end: %d%n", b.outboxDepth());
        }
    }

    private static void memory(URI broker) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "eiedge-mem-");
        // the demo's router carries 4 meters (grid, pv, battery, heat pump)
        try (DemoSubnet subnet = DemoSubnet.start(dir, 1, broker, Duration.ofSeconds(300), Duration.ofMillis(25), 100_000)) {
            EdgeNode node = subnet.nodes().get(0);
            long target = 14_400; // 4 meters × 3600 s
            long start = System.nanoTime();
            while (node.status().publishedSeq() < target) {
                Thread.sleep(500);
                if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("did not reach " + target + " readings in 5 minutes");
                }
            }
            System.gc();
            Thread.sleep(500);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long max = Runtime.getRuntime().maxMemory();
            String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            System.out.printf("after %d readings (%s): %s, heap after GC %.1f MiB of max %.1f MiB%n",
                    node.status().publishedSeq(), "an hour of 4 meters at 1 Hz", rss, heap / 1048576.0, max / 1048576.0);
        }
    }

    private static double rawSignRate() {
        byte[] sk = new byte[32];
        sk[0] = 7;
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        byte[] m = new byte[150];
        byte[] sig = new byte[64];
        for (int i = 0; i < 20_000; i++) {
            Ed25519.sign(sk, 0, pk, 0, m, 0, m.length, sig, 0);
        }
        int n = 50_000;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            m[0] = (byte) i;
            Ed25519.sign(sk, 0, pk, 0, m, 0, m.length, sig, 0);
        }
        return n / ((System.nanoTime() - t) / 1e9);
    }
}
