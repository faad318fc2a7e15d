package io.eiedge.bench.footprint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's mosquitto on a free loopback port, anonymous, without persistence, for one run. */
final class LoopbackMosquitto implements AutoCloseable {
    private final Process process;
    private final int port;

    private LoopbackMosquitto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static LoopbackMosquitto start(Path dir) throws IOException, InterruptedException {
        Path binary = DebianTools.require("mosquitto", "mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                + "log_dest stderr\nlog_type error\nlog_type warning\n");
        Process p = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        LoopbackMosquitto broker = new LoopbackMosquitto(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return broker;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    broker.close();
                    throw new IllegalStateException("mosquitto did not listen on 127.0.0.1:" + port + ": "
                            + Files.readString(dir.resolve("mosquitto.log")));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
