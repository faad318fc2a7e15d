package io.eiedge.bench.footprint;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code footprint} benchmark of issues 11 and 13: the real {@code eiedge run}, started by
 * the Debian package's launcher with its JVM flags (-Xmx64m …) and the unit's notify/watchdog
 * environment, with an identity made by the CLI, N simulated meters at 1 Hz, Debian's mosquitto
 * on loopback and CoAP on. After a warm-up it measures, from outside the process, one window of
 * CPU (utime+stime of /proc/PID/stat, per thread from /proc/PID/task), RSS, threads and bytes
 * sent to storage (/proc/PID/io) per reading chained (counted by a subscriber from the readings'
 * seqs); then a second window of the same length with strace attached, for fsync-class calls and
 * renames per second (strace slows every system call, so no CPU is taken from that window); then
 * heap after a forced GC (jcmd). Each figure is printed with its limit from the issues and the
 * ratio, next to the floor: N signatures and one fdatasync a second, measured in this run.
 *
 * <p>{@code scripts/bench.sh --main io.eiedge.bench.footprint.FootprintBench [--meters 4] [--warmup 90s]
 * [--window 60s] [--sync-interval 1s] [--coap on|off] [--web on|off] [--dir /var/tmp] [--keep]};
 * a smoke run: {@code --warmup 5s --window 10s}. Run as root (strace attaches; tools are
 * installed from Debian when missing), from the repository root.
 */
public final class FootprintBench {
    private FootprintBench() {
    }

    public static void main(String[] args) throws Exception {
        FootprintOptions o;
        try {
            o = FootprintOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("footprint: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new FootprintBench().run(o, String.join(" ", args)));
    }

    private int run(FootprintOptions o, String argLine) throws Exception {
        Path repo = Path.of(System.getProperty("eiedge.repo", ".")).toAbsolutePath().normalize();
        Files.createDirectories(o.dataParent());
        Path run = Files.createTempDirectory(o.dataParent(), "eiedge-footprint-");
        try {
            FileStore store = Files.getFileStore(run);
            if (store.type().equals("tmpfs") || store.type().equals("ramfs")) {
                System.err.println("footprint: " + run + " is on " + store.type()
                        + ": nothing reaches a disk there, so write_bytes and fsync would mean nothing; pass --dir on a disk");
                return 2;
            }
            System.out.printf("footprint: scripts/bench.sh --main %s %s%n", FootprintBench.class.getName(), argLine);
            System.out.printf("  %s, %d cores, %s, run folder %s (%s on %s)%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), run, store.type(), store.name());
            CostFloor floor = CostFloor.measure(run);
            PackagedLauncher eiedge = PackagedLauncher.prepare(repo, run, Path.of(System.getProperty("java.home")));
            Path identity = BenchIdentity.issue(eiedge, run);
            try (LoopbackMosquitto broker = LoopbackMosquitto.start(run); NotifyListener notify = NotifyListener.start(run)) {
                Path config = run.resolve("eiedge.yaml");
                Files.writeString(config, BenchConfig.yaml(o, identity, run.resolve("data"), broker.url(), freeUdpPort(), freeTcpPort()));
                PackagedLauncher.Result check = eiedge.run(Map.of(), "config", "check", "--config", config.toString());
                if (check.exit() != 0) {
                    List<String> unsupported = BenchConfig.unsupportedOptions(check.output());
                    if (unsupported.isEmpty()) {
                        throw new IllegalStateException("eiedge config check refused the bench's config:\n" + check.output());
                    }
                    System.out.println("footprint: the running build does not support " + String.join(", ", unsupported)
                            + " yet; run without it. eiedge config check said:\n" + check.output().strip());
                    return 3;
                }
                try (ReadingCounter counter = new ReadingCounter(broker.url(),
                        "ei/v1/" + BenchConfig.SUBNET + "/" + BenchConfig.DEVICE + "/reading")) {
                    return measure(o, eiedge, config, run, notify, counter, floor);
                }
            }
        } finally {
            if (o.keep()) {
                System.out.println("  kept " + run);
            } else {
                deleteTree(run);
            }
        }
    }

    private int measure(FootprintOptions o, PackagedLauncher eiedge, Path config, Path run, NotifyListener notify,
                        ReadingCounter counter, CostFloor floor) throws Exception {
        Map<String, String> unitEnv = Map.of("NOTIFY_SOCKET", notify.socket().toString(),
                "WATCHDOG_USEC", Long.toString(eiedge.watchdogUsec()));
        ProcessBuilder pb = eiedge.builder(unitEnv, "run", "--config", config.toString()).redirectErrorStream(true).directory(run.toFile());
        long spawned = System.nanoTime();
        Process daemon = pb.start();
        DaemonOutput out = DaemonOutput.follow(daemon.getInputStream(), run.resolve("daemon.log"));
        try {
            Optional<Long> running = out.awaitRunning(120, TimeUnit.SECONDS);
            if (running.isEmpty()) {
                throw new IllegalStateException("eiedge run " + (daemon.isAlive() ? "did not say it runs in 120 s" : "exited " + daemon.exitValue())
                        + ":\n" + out.tail());
            }
            Optional<Long> ready = notify.awaitReady(60, TimeUnit.SECONDS);
            ProcFs proc = new ProcFs(daemon.pid());
            System.out.println("  JVM (the package launcher's exec): " + proc.cmdline());
            System.out.printf("  warm-up %d s, then a %d s window for CPU/memory/storage and a %d s window with strace%n",
                    o.warmup().toSeconds(), o.window().toSeconds(), o.window().toSeconds());
            sleepWhileAlive(daemon, o.warmup(), out);

            Snapshot a = Snapshot.take(proc, counter);
            sleepWhileAlive(daemon, o.window(), out);
            Snapshot b = Snapshot.take(proc, counter);
            long rssKib = proc.rssKib();
            long hwmKib = proc.peakRssKib();
            long threads = proc.threadCount();

            long straceSeq0 = counter.maxSeq();
            StraceWindow strace = StraceWindow.attach(daemon.pid(), run.resolve("strace-summary.txt"));
            sleepWhileAlive(daemon, o.window(), out);
            StraceWindow.Counted calls = strace.detach();
            long straceReadings = counter.maxSeq() - straceSeq0;

            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Map<Long, String> javaNames = ThreadReport.javaNames(command(jcmd.toString(), Long.toString(daemon.pid()), "Thread.print"));
            Optional<HeapInfo> heap = heapAfterGc(jcmd, daemon.pid());
            long rssAfterGcKib = proc.rssKib();

            Report r = new Report(o, floor, ProcFs.clockTicks(), a, b, javaNames, rssKib, hwmKib, threads, heap, rssAfterGcKib,
                    new Report.StartUp((out.firstLineNanos() - spawned) / 1e9, (running.get() - spawned) / 1e9,
                            ready.map(t -> (t - spawned) / 1e9)), calls, straceReadings, out.warnings());
            r.print();
            return 0;
        } finally {
            daemon.destroy(); // SIGTERM, as systemctl stop
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    /** What the bench reads at either end of the CPU window. */
    record Snapshot(long nanos, ProcFs.Cpu cpu, Map<Long, ProcFs.ThreadTicks> threads, long writeBytes, long maxSeq,
                    long messages, String loadavg) {
        static Snapshot take(ProcFs proc, ReadingCounter counter) throws IOException {
            return new Snapshot(System.nanoTime(), proc.cpu(), proc.threads(), proc.writeBytes(), counter.maxSeq(),
                    counter.messages(), Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }

    /** {@code jcmd PID GC.run}, then {@code GC.heap_info}; empty (with the reason on stderr) when jcmd cannot attach. */
    private static Optional<HeapInfo> heapAfterGc(Path jcmd, long pid) throws IOException, InterruptedException {
        String gc = command(jcmd.toString(), Long.toString(pid), "GC.run");
        String info = command(jcmd.toString(), Long.toString(pid), "GC.heap_info");
        try {
            return Optional.of(HeapInfo.parse(info));
        } catch (IllegalArgumentException e) {
            System.err.println("footprint: no heap figure: " + gc + "\n" + info);
            return Optional.empty();
        }
    }

    private static String command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return text;
    }

    private static void sleepWhileAlive(Process daemon, Duration d, DaemonOutput out) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            if (daemon.waitFor(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("eiedge run exited " + daemon.exitValue() + " during the bench:\n" + out.tail());
            }
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
