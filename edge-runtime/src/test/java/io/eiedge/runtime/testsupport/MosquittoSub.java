package io.eiedge.runtime.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real {@code mosquitto_sub} process, the way an aggregator's operator would look at the broker.
 * Each received message becomes one {@link Message} (retained flag, topic, payload as text or hex).
 */
public final class MosquittoSub implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final List<Message> all = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    /** One message as printed by {@code -F "%r %t %p"} (or {@code %x} for hex payloads). */
    public record Message(boolean retained, String topic, String payload) {
    }

    private MosquittoSub(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        Thread.ofPlatform().daemon().name("mosquitto_sub-out").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    String[] parts = line.split(" ", 3);
                    if (parts.length < 2) continue;
                    Message m = new Message("1".equals(parts[0]), parts[1], parts.length > 2 ? parts[2] : "");
                    synchronized (all) {
                        all.add(m);
                    }
                    messages.add(m);
                }
            } catch (IOException e) {
                // process ended
            }
        });
        Thread.ofPlatform().daemon().name("mosquitto_sub-err").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        });
    }

    /** Subscribes to {@code topic} on a plain broker. */
    public static MosquittoSub plain(Mosquitto broker, String topic, boolean hex) throws IOException {
        return new MosquittoSub(command(broker, topic, hex, List.of()));
    }

    /**
     * Subscribes as an aggregator does: a persistent session ({@code -c}, clean session false) under
     * {@code clientId}, QoS 1, so the broker keeps what arrives while this client is away.
     */
    public static MosquittoSub persistent(Mosquitto broker, String topic, String clientId) throws IOException {
        return new MosquittoSub(command(broker, topic, true, List.of("-c", "-i", clientId)));
    }

    /** Subscribes over TLS with a client certificate. */
    public static MosquittoSub tls(Mosquitto broker, String topic, boolean hex, Path ca, Path cert, Path key)
            throws IOException {
        return new MosquittoSub(command(broker, topic, hex, List.of("--cafile", ca.toString(), "--cert",
                cert.toString(), "--key", key.toString())));
    }

    private static List<String> command(Mosquitto broker, String topic, boolean hex, List<String> tls) {
        List<String> c = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                Integer.toString(broker.port()), "-q", "1", "-t", topic, "-F", hex ? "%r %t %x" : "%r %t %p"));
        c.addAll(tls);
        return c;
    }

    /** The next message matching {@code p}, skipping others; fails after {@code timeout}. */
    public Message await(Predicate<Message> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("no matching message within " + timeout + "; received " + received()
                        + (process.isAlive() ? "" : "; mosquitto_sub exited " + process.exitValue()) + "; stderr: "
                        + stderrText());
            }
            if (p.test(m)) return m;
        }
    }

    /** Everything received so far, in order. */
    public List<Message> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    public String stderrText() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
