package io.eiedge.bench.footprint;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one footprint run, each beside its limit from issues 11 and 13 and the ratio
 * figure ÷ limit (≤ 1 is within the limit; "—" where the issues set none), then the threads that
 * used the CPU window.
 */
record Report(FootprintOptions options, CostFloor floor, long hz, FootprintBench.Snapshot a, FootprintBench.Snapshot b,
              Map<Long, String> javaNames, long rssKib, long peakRssKib, long threads, Optional<HeapInfo> heap,
              long rssAfterGcKib, StartUp startUp, StraceWindow.Counted calls, long straceReadings, long warnings) {

    /** Seconds from spawning the launcher to the daemon's first log line, its "running" line, READY=1. */
    record StartUp(double firstLine, double running, Optional<Double> ready) {
    }

    private static final String ROW = "  %-42s %14s %12s %7s%n";

    void print() {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        long readings = b.maxSeq() - a.maxSeq();
        double cpuSeconds = (double) (b.cpu().self() - a.cpu().self()) / hz;
        double cpuPercent = cpuSeconds / seconds * 100;
        double perReading = readings > 0 ? cpuSeconds / readings : Double.NaN;
        long written = b.writeBytes() - a.writeBytes();
        double bytesPerReading = readings > 0 ? (double) written / readings : Double.NaN;
        double fsyncs = calls.counts().fsyncClass() / calls.seconds();
        double renames = calls.counts().renames() / calls.seconds();
        double floorPercent = floor.percentOfCore(options.meters());
        var sync = options.effectiveSyncInterval();

        System.out.println();
        System.out.printf("  %d meters at 1 Hz; CPU window %.1f s: %d readings chained (%.2f/s per meter; %d messages received), "
                        + "load average %s → %s%n", options.meters(), seconds, readings, readings / seconds / options.meters(),
                b.messages() - a.messages(), a.loadavg().split(" ")[0], b.loadavg().split(" ")[0]);
        System.out.printf("  sync-interval: %s; CoAP %s; web %s; %d WARN/ERROR lines in the daemon's log%n",
                options.syncInterval().orElse("not set (the limits of issue 11's default, 1s, apply)"),
                options.coap() ? "on" : "off", options.web().map(w -> w ? "on" : "off").orElse("not set (the build's default)"), warnings);
        System.out.printf("  floor: %d × Ed25519 sign %.1f µs + one fdatasync %.0f µs = %.3f %% of a core per second%n",
                options.meters(), floor.signMicros(), floor.fdatasyncMicros(), floorPercent);
        System.out.println();
        System.out.printf(ROW, "figure", "measured", "limit", "ratio");
        row("CPU, % of one core", String.format("%.2f %%", cpuPercent), "1 %", ratio(cpuPercent, FootprintLimits.CPU_PERCENT));
        row("CPU ÷ floor (signatures + fdatasync)", String.format("%.1f ×", cpuPercent / floorPercent), "—", "—");
        row("CPU-seconds per reading", String.format("%.2f ms", perReading * 1e3), "—", "—");
        row("  ÷ one signature", String.format("%.0f ×", perReading * 1e6 / floor.signMicros()), "—", "—");
        row("RSS (VmRSS, end of the CPU window)", mib(rssKib), "80 MiB", ratio(rssKib / 1024.0, FootprintLimits.RSS_MIB));
        row("  peak RSS (VmHWM)", mib(peakRssKib), "—", "—");
        row("  RSS after the forced GC", mib(rssAfterGcKib), "—", "—");
        row("heap after GC (jcmd GC.run, GC.heap_info)", heap.map(h -> mib(h.usedKib())).orElse("n/a"),
                heap.map(h -> "of " + mib(h.committedKib())).orElse("—"), "—");
        row("threads", Long.toString(threads), "—", "—");
        row("start → \"running\" line", String.format("%.2f s", startUp.running()), "1.0 s",
                ratio(startUp.running(), FootprintLimits.START_SECONDS));
        row("  start → first log line (JVM and CLI up)", String.format("%.2f s", startUp.firstLine()), "—", "—");
        row("  start → READY=1 (sd_notify)", startUp.ready().map(s -> String.format("%.2f s", s)).orElse("none in 60 s"), "—", "—");
        var bytesLimit = FootprintLimits.bytesPerReading(sync);
        row("bytes to storage per reading (write_bytes)", String.format("%.0f B", bytesPerReading),
                bytesLimit.map(l -> String.format("%.0f B", l)).orElse("—"), FootprintLimits.ratio(bytesPerReading, bytesLimit));
        var fsyncLimit = FootprintLimits.fsyncsPerSecond(sync);
        row("fsync-class calls per second (strace)", String.format("%.2f /s", fsyncs),
                fsyncLimit.map(l -> String.format("%.1f /s", l)).orElse("—"), FootprintLimits.ratio(fsyncs, fsyncLimit));
        row("  per reading", straceReadings > 0 ? String.format("%.2f", calls.counts().fsyncClass() / (double) straceReadings) : "n/a", "—", "—");
        row("renames per second (strace)", String.format("%.2f /s", renames), "—", "—");
        System.out.printf("  strace window %.1f s, %d readings: %s%n", calls.seconds(), straceReadings, calls.counts().calls());
        System.out.printf("  children (systemd-notify for READY and the watchdog): %.2f CPU-s in the window%n",
                (double) (b.cpu().children() - a.cpu().children()) / hz);
        System.out.println();
        System.out.printf("  threads by CPU in the window (%% of one core; ms per reading); process total %.2f %%:%n", cpuPercent);
        List<ThreadReport.Row> rows = ThreadReport.rows(a.threads(), b.threads(), javaNames);
        rows.stream().limit(12).forEach(t -> {
            double s = (double) t.ticks() / hz;
            System.out.printf("    %-38s %4s %7.2f %% %9.3f ms%n", t.name(), t.threads() > 1 ? "×" + t.threads() : "",
                    s / seconds * 100, readings > 0 ? s / readings * 1e3 : Double.NaN);
        });
        long rest = rows.stream().skip(12).mapToLong(ThreadReport.Row::ticks).sum();
        long restThreads = rows.stream().skip(12).mapToInt(ThreadReport.Row::threads).sum();
        System.out.printf("    %-38s %4s %7.2f %%%n", "(the other " + restThreads + ")", "", (double) rest / hz / seconds * 100);
    }

    private static void row(String what, String measured, String limit, String ratio) {
        System.out.printf(ROW, what, measured, limit, ratio);
    }

    private static String ratio(double figure, double limit) {
        return FootprintLimits.ratio(figure, Optional.of(limit));
    }

    private static String mib(long kib) {
        return String.format("%.1f MiB", kib / 1024.0);
    }
}
