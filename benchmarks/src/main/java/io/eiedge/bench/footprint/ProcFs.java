package io.eiedge.bench.footprint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the kernel counts of one process, read from {@code /proc/PID}: CPU ticks of the process and
 * of each thread ({@code stat}: utime + stime, in clock ticks), resident set and thread count
 * ({@code status}), and bytes the process caused to be sent to storage ({@code io}: write_bytes,
 * counted when a page is dirtied, so page-cache writes count before writeback).
 */
final class ProcFs {
    private final Path proc;

    ProcFs(long pid) {
        this.proc = Path.of("/proc", Long.toString(pid));
    }

    /** CPU of the process and, separately, of its waited-for children (systemd-notify), in ticks. */
    record Cpu(long self, long children) {
    }

    /** One thread's name (as the kernel keeps it, 15 characters) and CPU ticks so far. */
    record ThreadTicks(String name, long ticks) {
    }

    Cpu cpu() throws IOException {
        long[] t = times(Files.readString(proc.resolve("stat")));
        return new Cpu(t[0] + t[1], t[2] + t[3]);
    }

    /** Every live thread by id. */
    Map<Long, ThreadTicks> threads() throws IOException {
        Map<Long, ThreadTicks> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    long[] t = times(stat);
                    out.put(Long.parseLong(task.getFileName().toString()), new ThreadTicks(comm(stat), t[0] + t[1]));
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return out;
    }

    long rssKib() throws IOException {
        return statusField(Files.readString(proc.resolve("status")), "VmRSS");
    }

    long peakRssKib() throws IOException {
        return statusField(Files.readString(proc.resolve("status")), "VmHWM");
    }

    long threadCount() throws IOException {
        return statusField(Files.readString(proc.resolve("status")), "Threads");
    }

    long writeBytes() throws IOException {
        return statusField(Files.readString(proc.resolve("io")), "write_bytes");
    }

    /** Clock ticks per second of utime/stime (USER_HZ, from getconf; 100 on every Linux build we know). */
    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** The command line as the kernel has it (after the launcher's exec: the JVM's). */
    String cmdline() throws IOException {
        return new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ').strip();
    }

    /**
     * utime, stime, cutime, cstime of a {@code stat} line (fields 14–17 of proc(5)). The name in
     * parentheses may hold spaces and parentheses itself, so fields are counted from the last ')'.
     */
    static long[] times(String stat) {
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // rest[0] is field 3 (state), so field n is rest[n - 3]
        return new long[]{Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[13]), Long.parseLong(rest[14])};
    }

    static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** The number of a "Key:   value [kB]" line of {@code status} or {@code io}. */
    static long statusField(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + key + " line in:\n" + text);
    }
}
