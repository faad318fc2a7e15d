package io.eiedge.aggregator.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code eiedge ingest} in a child JVM, started as the launcher would (EiedgeCli with the
 * aggregator on the class path, found through its CommandModule), so it can be SIGKILLed.
 */
public final class IngestProcess implements AutoCloseable {
    private final List<String> command;
    private final Path out;
    private final Path err;
    private static final String SUBSCRIBED = "subscribed to the fleet's data";
    private Process process;
    private int subscribedBefore;

    public IngestProcess(Path dir, String name, List<String> args) throws IOException {
        Files.createDirectories(dir);
        this.out = dir.resolve(name + ".out");
        this.err = dir.resolve(name + ".err");
        command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.eiedge.runtime.cli.EiedgeCli", "ingest"));
        command.addAll(args);
    }

    public IngestProcess start() throws IOException {
        subscribedBefore = count(stderr(), SUBSCRIBED);
        process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile())).start();
        return this;
    }

    /** Waits until stderr says the data subscription of the latest start is made (the CRL is in force). */
    public void awaitSubscribed(long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (count(stderr(), SUBSCRIBED) > subscribedBefore) return;
            if (!process.isAlive()) throw new IOException("ingest exited with " + process.exitValue() + ":\n" + stderr());
            Thread.sleep(50);
        }
        throw new IOException("ingest did not subscribe within " + timeoutMs + " ms:\n" + stderr());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** SIGKILL: no shutdown hook, no clean disconnect, unacknowledged messages in flight. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM and the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    public String stdout() throws IOException {
        return Files.exists(out) ? Files.readString(out) : "";
    }

    public String stderr() throws IOException {
        return Files.exists(err) ? Files.readString(err) : "";
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) process.destroyForcibly();
    }
}
