package io.eiedge.bench.footprint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Plays systemd's side of {@code NOTIFY_SOCKET}: a datagram Unix socket (which the JDK cannot
 * open, hence a few lines of Python) that takes the daemon's {@code READY=1} and answers
 * systemd-notify's barrier by closing the descriptor it passes, as systemd does — so the daemon's
 * systemd-notify children behave as under the unit. The bench notes when READY=1 arrived.
 */
final class NotifyListener implements AutoCloseable {
    private static final String SCRIPT = """
            import array, os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print("listening", flush=True)
            while True:
                msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
                for level, kind, data in anc:
                    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                        fds = array.array("i")
                        fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
                        for fd in fds:
                            os.close(fd)
                print(msg.decode("utf-8", "replace").replace("\\n", " | "), flush=True)
            """;

    private final Process process;
    private final Path socket;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile long readyNanos;
    private volatile String readyMessage = "";

    private NotifyListener(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static NotifyListener start(Path dir) throws IOException, InterruptedException {
        Path python = DebianTools.require("python3", "python3");
        Path script = dir.resolve("notify-listener.py");
        Files.writeString(script, SCRIPT);
        Path socket = dir.resolve("notify.sock");
        Process p = new ProcessBuilder(python.toString(), script.toString(), socket.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        NotifyListener listener = new NotifyListener(p, socket);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"listening".equals(first)) {
            listener.close();
            throw new IllegalStateException("the notify listener did not start: " + first);
        }
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.contains("READY=1") && listener.ready.getCount() > 0) {
                        listener.readyNanos = System.nanoTime();
                        listener.readyMessage = line;
                        listener.ready.countDown();
                    }
                }
            } catch (IOException ended) {
                // the listener was closed
            }
        }, "notify-listener");
        reader.setDaemon(true);
        reader.start();
        return listener;
    }

    Path socket() {
        return socket;
    }

    /** System.nanoTime() when READY=1 arrived, if it did within the wait. */
    Optional<Long> awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        return ready.await(timeout, unit) ? Optional.of(readyNanos) : Optional.empty();
    }

    String readyMessage() {
        return readyMessage;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
