package io.eiedge.runtime.systemd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Stands in for systemd's notify socket: an AF_UNIX datagram socket bound by a small Perl
 * program (perl-base is Essential on Debian; the JDK cannot bind datagram Unix sockets) that
 * prints every datagram as one hex line. Perl's recv passes no control buffer, so the barrier
 * pipe systemd-notify sends along is closed on receipt, which is how systemd answers a barrier.
 */
final class NotifySocket implements AutoCloseable {
    private static final String RECEIVER = """
            use Socket;
            socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
            bind($s, pack_sockaddr_un($ARGV[0])) or die "bind: $!";
            $| = 1;
            print "bound\\n";
            while (defined recv($s, my $m, 65536, 0)) { print unpack("H*", $m), "\\n"; }
            """;

    private final Path path;
    private final Process process;
    private final List<String> datagrams = new CopyOnWriteArrayList<>();

    private NotifySocket(Path path, Process process) {
        this.path = path;
        this.process = process;
    }

    static boolean available() {
        return onPath("perl") && onPath("systemd-notify");
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static NotifySocket open(Path dir) throws IOException, InterruptedException {
        Path path = dir.resolve("notify");
        Process p = new ProcessBuilder("perl", "-e", RECEIVER, path.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String first = out.readLine();
        if (!"bound".equals(first)) {
            p.destroyForcibly();
            throw new IOException("notify receiver did not start: " + first);
        }
        NotifySocket socket = new NotifySocket(path, p);
        Thread.ofPlatform().daemon().name("notify-receiver").start(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    socket.datagrams.add(new String(HexFormat.of().parseHex(line.strip()), StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the receiver was stopped
            }
        });
        return socket;
    }

    String path() {
        return path.toString();
    }

    /** Datagrams received so far, without systemd-notify's own BARRIER=1 messages. */
    List<String> messages() {
        List<String> out = new ArrayList<>();
        for (String d : datagrams) {
            if (!d.startsWith("BARRIER=1")) {
                out.add(d);
            }
        }
        return out;
    }

    /** Waits until a message matching the test arrives, or the time is up; returns whether it did. */
    boolean await(Predicate<String> test, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (messages().stream().anyMatch(test)) {
                return true;
            }
            Thread.sleep(20);
        }
        return messages().stream().anyMatch(test);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
