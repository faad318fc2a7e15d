package io.eiedge.runtime.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mosquitto} broker (Debian package) for tests, on 127.0.0.1 and an ephemeral port,
 * with a generated configuration: plain, or TLS with {@code require_certificate}. It can be stopped
 * and started again on the same port (outage tests), frozen with SIGSTOP (to hold back PUBACKs),
 * and is killed by {@link #close()}.
 */
public final class Mosquitto implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Path config;
    private final Path log;
    private Process process;

    private Mosquitto(Path dir, int port, String tlsLines) throws IOException {
        this.dir = dir;
        this.port = port;
        this.config = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        // as root mosquitto would switch to the 'mosquitto' user, who cannot read the temp dir
        String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(config, user
                + "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence true\n"
                + "persistence_location " + dir.toAbsolutePath() + "/\n"
                + "log_dest stdout\n"
                + "log_type all\n"
                + tlsLines);
    }

    /** A broker without TLS on a new ephemeral port (not started). */
    public static Mosquitto plain(Path dir) throws IOException {
        return plain(dir, "");
    }

    /** A broker without TLS with extra configuration lines (e.g. {@code max_inflight_messages 1000\n}). */
    public static Mosquitto plain(Path dir, String extraConfig) throws IOException {
        Files.createDirectories(dir);
        return new Mosquitto(dir, FreePorts.tcp(), extraConfig);
    }

    /** A broker that requires a client certificate issued by {@code caFile} (not started). */
    public static Mosquitto tls(Path dir, Path caFile, Path certFile, Path keyFile) throws IOException {
        Files.createDirectories(dir);
        return new Mosquitto(dir, FreePorts.tcp(), "cafile " + caFile.toAbsolutePath() + "\n"
                + "certfile " + certFile.toAbsolutePath() + "\n"
                + "keyfile " + keyFile.toAbsolutePath() + "\n"
                + "require_certificate true\n"
                + "use_identity_as_username true\n");
    }

    public int port() {
        return port;
    }

    public String url(String scheme) {
        return scheme + "://127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it accepts connections. */
    public Mosquitto start() throws IOException {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        process = new ProcessBuilder("mosquitto", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return this;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + ":\n" + Files.readString(log));
    }

    /** Stops the broker (SIGTERM, then SIGKILL); the port stays ours for {@link #start()}. */
    public void stop() {
        if (process == null) return;
        Process p = process;
        process = null;
        resume(p);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the broker keeps its sockets but answers nothing (no CONNACK, no PUBACK). */
    public void freeze() throws IOException {
        signal(process, "-STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() throws IOException {
        signal(process, "-CONT");
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The broker's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            Process p = process;
            process = null;
            resume(p);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void resume(Process p) {
        try {
            signal(p, "-CONT"); // a frozen process would not act on SIGTERM
        } catch (IOException e) {
            // already gone
        }
    }

    private static void signal(Process p, String signal) throws IOException {
        if (p == null || !p.isAlive()) throw new IOException("mosquitto is not running");
        try {
            new ProcessBuilder("kill", signal, Long.toString(p.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
