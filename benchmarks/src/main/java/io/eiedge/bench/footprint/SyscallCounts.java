package io.eiedge.bench.footprint;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls per system call from the summary table {@code strace -c} prints when it detaches
 * ({@code % time  seconds  usecs/call  calls  [errors]  syscall}); the errors column is blank
 * when there were none, so calls is always the fourth column and the name the last.
 */
record SyscallCounts(Map<String, Long> calls) {

    /** The calls that force data to the disk (issue 11's "fsync-class"). */
    static final List<String> FSYNC_CLASS = List.of("fsync", "fdatasync", "sync_file_range", "msync", "sync", "syncfs");
    /** Renames, each a metadata write and, on ext4 with data=ordered, a flush of the renamed file. */
    static final List<String> RENAMES = List.of("rename", "renameat", "renameat2");

    SyscallCounts {
        calls = Map.copyOf(calls);
    }

    /** The {@code -e trace=} list the bench attaches strace with. */
    static String traceExpression() {
        return String.join(",", FSYNC_CLASS) + "," + String.join(",", RENAMES);
    }

    static SyscallCounts parse(String straceSummary) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : straceSummary.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].matches("[0-9.]+") || f[f.length - 1].equals("total")) {
                continue;
            }
            calls.merge(f[f.length - 1], Long.parseLong(f[3]), Long::sum);
        }
        return new SyscallCounts(calls);
    }

    long fsyncClass() {
        return sum(FSYNC_CLASS);
    }

    long renames() {
        return sum(RENAMES);
    }

    private long sum(List<String> names) {
        return names.stream().mapToLong(n -> calls.getOrDefault(n, 0L)).sum();
    }
}
