package io.eiedge.bench.footprint;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's stdout+stderr (what the journal would get), copied to a log file of the run, with
 * the moment its {@code "running with N meters"} line arrived — the end of start-up — and the
 * last lines kept for the report when something goes wrong.
 */
final class DaemonOutput {
    static final String RUNNING = ": running with ";

    private final CountDownLatch running = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile long runningNanos;
    private volatile long firstLineNanos;
    private volatile long warnings;

    static DaemonOutput follow(InputStream out, Path log) {
        DaemonOutput d = new DaemonOutput();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
                 BufferedWriter w = Files.newBufferedWriter(log)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (d.firstLineNanos == 0) {
                        d.firstLineNanos = System.nanoTime();
                    }
                    if (line.contains(RUNNING) && d.running.getCount() > 0) {
                        d.runningNanos = System.nanoTime();
                        d.running.countDown();
                    }
                    if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                        d.warnings++;
                    }
                    w.write(line);
                    w.newLine();
                    w.flush();
                    synchronized (d.tail) {
                        d.tail.addLast(line);
                        if (d.tail.size() > 40) {
                            d.tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ended) {
                // the daemon exited
            }
        }, "daemon-output");
        reader.setDaemon(true);
        reader.start();
        return d;
    }

    /** System.nanoTime() of the "running" line, if it came within the wait. */
    Optional<Long> awaitRunning(long timeout, TimeUnit unit) throws InterruptedException {
        return running.await(timeout, unit) ? Optional.of(runningNanos) : Optional.empty();
    }

    /** System.nanoTime() of the first line the daemon printed (0: none yet). */
    long firstLineNanos() {
        return firstLineNanos;
    }

    /** WARN and ERROR lines so far: a quiet run has none. */
    long warnings() {
        return warnings;
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
