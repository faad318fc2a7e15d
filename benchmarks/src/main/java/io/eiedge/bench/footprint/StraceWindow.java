package io.eiedge.bench.footprint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code strace -f -c -e trace=<fsync class, renames>} attached to every thread of the daemon
 * for one window, then detached (SIGTERM makes strace detach and print its summary). Attached
 * strace stops every thread at every system call, filtered or not, so this window's CPU would
 * mean nothing: the bench measures CPU in a window of its own before this one.
 */
final class StraceWindow {
    private final Process strace;
    private final Path summary;
    private final long startNanos;

    private StraceWindow(Process strace, Path summary, long startNanos) {
        this.strace = strace;
        this.summary = summary;
        this.startNanos = startNanos;
    }

    static StraceWindow attach(long pid, Path summary) throws IOException, InterruptedException {
        Path binary = DebianTools.require("strace", "strace");
        Process p = new ProcessBuilder(binary.toString(), "-f", "-c", "-o", summary.toString(),
                "-e", "trace=" + SyscallCounts.traceExpression(), "-p", Long.toString(pid)).start();
        CountDownLatch attached = new CountDownLatch(1);
        StringBuilder errors = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.contains("attached")) {
                        attached.countDown();
                    } else {
                        synchronized (errors) {
                            errors.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ended) {
                // strace exited
            }
        }, "strace-stderr");
        reader.setDaemon(true);
        reader.start();
        if (!attached.await(10, TimeUnit.SECONDS) || !p.isAlive()) {
            p.destroyForcibly();
            synchronized (errors) {
                throw new IllegalStateException("strace could not attach to " + pid + " (ptrace allowed? run as root): " + errors);
            }
        }
        return new StraceWindow(p, summary, System.nanoTime());
    }

    /** Detaches and returns the calls counted, with the seconds the window lasted. */
    record Counted(SyscallCounts counts, double seconds) {
    }

    Counted detach() throws IOException, InterruptedException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        strace.destroy(); // SIGTERM: strace detaches from every thread and writes the summary
        if (!strace.waitFor(20, TimeUnit.SECONDS)) {
            strace.destroyForcibly();
            throw new IllegalStateException("strace did not detach within 20 s");
        }
        return new Counted(SyscallCounts.parse(Files.readString(summary)), seconds);
    }
}
