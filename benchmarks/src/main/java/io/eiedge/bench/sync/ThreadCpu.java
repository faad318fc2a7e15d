package io.eiedge.bench.sync;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a benchmark's CPU went: each live thread's CPU time since {@link #start()}, summed by
 * thread name with numbers and addresses folded ("DTLS-Worker-/127.0.0.1:#"), so the report
 * shows signature checking against the network stack against the rest. Threads that ended in
 * between are not counted (the sync's threads all live through an iteration).
 */
final class ThreadCpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startNanos = new HashMap<>();

    private ThreadCpu() {
    }

    static ThreadCpu start() {
        ThreadCpu c = new ThreadCpu();
        for (long id : c.threads.getAllThreadIds()) {
            c.startNanos.put(id, Math.max(0, c.threads.getThreadCpuTime(id)));
        }
        return c;
    }

    /** "cores busy 1.9 of wall; peer-verify 48%, DTLS-Worker 18%, …" for the time since start. */
    String report(long wallNanos) {
        Map<String, Long> byName = new TreeMap<>();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long now = threads.getThreadCpuTime(id);
            if (info == null || now < 0) {
                continue;
            }
            long used = now - startNanos.getOrDefault(id, 0L);
            byName.merge(info.getThreadName().replaceAll("[0-9.:/#-]+$|[0-9]+", "#"), used, Long::sum);
            total += used;
        }
        long sum = total;
        String parts = byName.entrySet().stream().filter(e -> e.getValue() * 50 >= sum)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / sum)).collect(Collectors.joining(", "));
        return String.format("%.1f s on %.2f cores (Java threads; GC and JIT not counted); %s", total / 1e9, (double) total / wallNanos, parts);
    }
}
