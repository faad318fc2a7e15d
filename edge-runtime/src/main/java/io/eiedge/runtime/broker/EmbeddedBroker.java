package io.eiedge.runtime.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.tinylog.Logger;

/**
 * A real MQTT 3.1.1 broker (Moquette) inside this process, for the demo and tests: plain TCP on
 * 127.0.0.1 only, anonymous clients, retained messages and QoS 1 as any broker.
 *
 * <p>Moquette's defaults are changed where they would surprise a technician on a laptop with no
 * internet: it binds to 0.0.0.0 (here loopback only), posts telemetry to its authors at start
 * (off; the error reporter and metrics stay off, and their jars are not shipped), and refuses
 * messages over 8 KiB (raised to {@link #MAX_MESSAGE_BYTES}: CRLs and equivocation evidence are
 * larger). State is in memory unless a data folder is given.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Largest MQTT message accepted (a CRL with many entries, an alert carrying two headers). */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final String HOST = "127.0.0.1";

    private final Server server;
    private final int port;
    private volatile boolean running;

    private EmbeddedBroker(Server server, int port) {
        this.server = server;
        this.port = port;
        this.running = true;
    }

    /** Starts a broker with its state in memory, on an ephemeral loopback port. */
    public static EmbeddedBroker start() throws IOException {
        return start(0, Optional.empty());
    }

    /**
     * Starts a broker on 127.0.0.1.
     *
     * @param port    TCP port, 0 for an ephemeral one (see {@link #port()})
     * @param dataDir where sessions, subscriptions and retained messages persist across restarts;
     *                empty keeps them in memory
     * @throws IOException when the port is taken or the folder cannot be used
     */
    public static EmbeddedBroker start(int port, Optional<Path> dataDir) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not 0..65535");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port != 0) return startOn(port, dataDir);
        // Moquette reports the configured port, not the bound one, so an ephemeral port is picked
        // here; another process may take it in between, hence a few attempts
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return startOn(freeLoopbackPort(), dataDir);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static EmbeddedBroker startOn(int port, Optional<Path> dataDir) throws IOException {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty("allow_zero_byte_client_id", "true"); // mosquitto_sub and other 3.1.1 tools send none
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("netty.epoll", "false"); // the native transport's jar is not shipped
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty(IConfig.BUFFER_FLUSH_MS_PROPERTY_NAME, "immediate"); // a PUBACK should not wait for a timer
        if (dataDir.isPresent()) {
            Path dir = dataDir.get().toAbsolutePath();
            Files.createDirectories(dir);
            p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dir + "/");
        } else {
            p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        }
        // Netty's use of sun.misc.Unsafe makes JDK 24+ print a warning on stderr in the middle of
        // the demo's table; its portable code paths are plenty for a loopback demo broker
        if (System.getProperty("io.netty.noUnsafe") == null) System.setProperty("io.netty.noUnsafe", "true");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p), List.of());
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            throw new IOException("embedded MQTT broker cannot start on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        if (!accepts(port)) {
            stopQuietly(server);
            throw new IOException("embedded MQTT broker did not listen on " + HOST + ":" + port);
        }
        Logger.info("embedded MQTT broker on tcp://{}:{} ({})", HOST, port,
                dataDir.map(d -> "state in " + d).orElse("state in memory"));
        return new EmbeddedBroker(server, port);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stopServer();
        } catch (RuntimeException e) {
            // it did not start; nothing more to release
        }
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}, as Paho and {@code --broker} take it. */
    public URI uri() {
        return URI.create("tcp://" + HOST + ":" + port);
    }

    public boolean isRunning() {
        return running;
    }

    /** Stops listening and drops every client (they see their connection lost; wills are sent). */
    public void stop() {
        if (!running) return;
        running = false;
        server.stopServer();
        Logger.info("embedded MQTT broker on tcp://{}:{} stopped", HOST, port);
    }

    @Override
    public void close() {
        stop();
    }
}
