package io.eiedge.bench.runtime;

import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.broker.EmbeddedBroker;
import io.eiedge.runtime.cli.EiedgeCli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Issue 16's figures, as ratios from one run: {@code eiedge run} (a child JVM with the package
 * launcher's heap flags, 4 simulated meters at 1 Hz, a broker on loopback) with {@code web.listen}
 * empty vs on — its RSS after warm-up (the page, /api/status and /metrics each fetched once, so
 * the server's classes are loaded) and its CPU over an idle window nobody looks at the page in;
 * then the CPU and wall time of one {@code /metrics} scrape (the mean of many).
 *
 * <p>Usage: {@code scripts/bench.sh --main io.eiedge.bench.runtime.WebFootprintBench [idle-seconds] [scrapes] [rounds]}.
 * CPU comes from {@code /proc/PID/stat} (utime+stime, clock ticks of 10 ms), RSS from
 * {@code /proc/PID/status} (VmRSS, the mean over the idle window); web off and on alternate for {@code rounds}.
 */
public final class WebFootprintBench {
    private static final char[] PASS = "bench registrar".toCharArray();
    private static final double TICK_S = 0.01;

    private WebFootprintBench() {
    }

    private record Phase(long rssKiB, double cpuSeconds, double idleSeconds) {
        double cpuPercent() {
            return 100 * cpuSeconds / idleSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/var/tmp")), "eiedge-web-");
        Path identity = identity(dir);
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            List<Phase> offs = new ArrayList<>();
            List<Phase> ons = new ArrayList<>();
            double[] scrape = new double[3];
            for (int r = 0; r < rounds; r++) { // alternating, so a drift of the machine hits both alike
                Phase off = run(dir.resolve("off-" + r), identity, broker.uri(), -1, idle, 0, new double[3]);
                Phase on = run(dir.resolve("on-" + r), identity, broker.uri(), freeTcpPort(), idle, r == rounds - 1 ? scrapes : 0, scrape);
                System.out.printf("round %d: web off RSS %d KiB, idle CPU %.2f s in %.0f s | web on RSS %d KiB, idle CPU %.2f s in %.0f s%n",
                        r + 1, off.rssKiB(), off.cpuSeconds(), off.idleSeconds(), on.rssKiB(), on.cpuSeconds(), on.idleSeconds());
                offs.add(off);
                ons.add(on);
            }
            double rssOff = offs.stream().mapToLong(Phase::rssKiB).average().orElseThrow();
            double rssOn = ons.stream().mapToLong(Phase::rssKiB).average().orElseThrow();
            double cpuOff = offs.stream().mapToDouble(p -> p.cpuSeconds() / p.idleSeconds()).average().orElseThrow();
            double cpuOn = ons.stream().mapToDouble(p -> p.cpuSeconds() / p.idleSeconds()).average().orElseThrow();
            System.out.printf("mean of %d rounds: RSS on/off = %.3f (%+.0f KiB); idle CPU on/off = %.2f (%.3f %% vs %.3f %% of one core)%n",
                    rounds, rssOn / rssOff, rssOn - rssOff, cpuOn / cpuOff, 100 * cpuOn, 100 * cpuOff);
            System.out.printf("one /metrics scrape (%d bytes): %.2f ms CPU in the daemon, %.2f ms wall; at one scrape per 15 s "
                            + "that is %.4f %% of one core, %.3f of the node's own idle CPU%n", (long) scrape[2], scrape[0] * 1000,
                    scrape[1] * 1000, 100 * scrape[0] / 15, scrape[0] / 15 / cpuOff);
        }
    }

    /** @param scrape out: CPU seconds and wall seconds per scrape, body bytes */
    private static Phase run(Path dir, Path identity, URI broker, int webPort, int idle, int scrapes, double[] scrape)
            throws Exception {
        Files.createDirectories(dir);
        Path config = dir.resolve("eiedge.yaml");
        StringBuilder meters = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            meters.append("  - id: m").append(i).append("\n    type: simulated\n    kind: ").append(i % 2 == 0 ? "pv" : "load")
                    .append("\n    seed: ").append(i).append("\n    peak-power: 5kW\n    poll-interval: 1s\n");
        }
        Files.writeString(config, "device:\n  id: router-01\n  subnet: sub-bench\n  role: router\n"
                + "identity:\n  dir: " + identity + "\n"
                + "meters:\n" + meters
                + "ledger:\n  data-dir: " + dir.resolve("data") + "\n  block:\n    max-age: 60s\n"
                + "mqtt:\n  broker: tcp://" + broker.getHost() + ":" + broker.getPort() + "\n  insecure: true\n"
                + "coap:\n  port: " + freeUdpPort() + "\n"
                + "web:\n  listen: " + (webPort < 0 ? "\"\"" : "127.0.0.1:" + webPort) + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the flags of the package's launcher (systemd/src/deb/bin/eiedge)
        Process child = new ProcessBuilder(java, "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
                "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), EiedgeCli.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true).start();
        try {
            awaitRunning(child);
            HttpClient http = HttpClient.newHttpClient();
            Thread.sleep(10_000); // JIT, first seals, first status writes
            if (webPort > 0) {
                for (String path : new String[]{"/", "/app.js", "/style.css", "/api/status", "/metrics"}) {
                    get(http, webPort, path);
                }
            }
            Thread.sleep(10_000);
            long t0 = cpuTicks(child.pid());
            long wall0 = System.nanoTime();
            long rssSum = 0;
            int samples = 0;
            for (int i = 0; i < idle; i += 5) { // RSS: the mean over the window, not one sample
                Thread.sleep(Math.min(5, idle - i) * 1000L);
                rssSum += rssKiB(child.pid());
                samples++;
            }
            long t1 = cpuTicks(child.pid());
            double idleSeconds = (System.nanoTime() - wall0) / 1e9;
            long rss = rssSum / samples;
            if (scrapes > 0) {
                for (int i = 0; i < 50; i++) get(http, webPort, "/metrics"); // warm
                long c0 = cpuTicks(child.pid());
                long w0 = System.nanoTime();
                long bytes = 0;
                for (int i = 0; i < scrapes; i++) bytes = get(http, webPort, "/metrics").length;
                scrape[0] = (cpuTicks(child.pid()) - c0) * TICK_S / scrapes;
                scrape[1] = (System.nanoTime() - w0) / 1e9 / scrapes;
                scrape[2] = bytes;
            }
            return new Phase(rss, (t1 - t0) * TICK_S, idleSeconds);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] get(HttpClient http, int port, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException(path + ": HTTP " + r.statusCode());
        return r.body();
    }

    private static void awaitRunning(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("running with")) {
                Thread drain = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard the rest of the log
                        }
                    } catch (IOException ignored) {
                        // the child ended
                    }
                });
                drain.setName("child-log");
                return;
            }
        }
        throw new IOException("eiedge run ended before it ran (exit " + child.exitValue() + ")");
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    private static long rssKiB(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(Arrays.stream(l.split("\\s+")).skip(1).findFirst().orElseThrow())).findFirst().orElseThrow();
    }

    /** A device identity made as a technician makes one (keygen, CSR, registrar sign, install), for {@code eiedge run}. */
    private static Path identity(Path dir) throws Exception {
        Path reg = Files.createDirectories(dir.resolve("registrar"));
        Registrar.init(reg, "bench registrar", PASS, Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "bench");
        Path idDir = dir.resolve("identity");
        DeviceName name = DeviceName.of("router-01", "sub-bench", "router");
        try (Registrar registrar = Registrar.open(reg, Clock.systemUTC())) {
            IdentityStore store = new IdentityStore(idDir, Clock.systemUTC());
            store.keygen(null, false, false);
            var issued = registrar.sign(store.csr(name, PassphraseSource.none()).pem(), "router-01.csr", false,
                    Registrar.DEFAULT_DEVICE_VALIDITY, PassphraseSource.of(PASS), "bench");
            Path pem = dir.resolve("router-01.pem");
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(issued.der()) + "\n-----END CERTIFICATE-----\n");
            store.install(pem, reg.resolve(Registrar.ROOT_CERT), Optional.of(name), PassphraseSource.none());
        }
        return idDir;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
