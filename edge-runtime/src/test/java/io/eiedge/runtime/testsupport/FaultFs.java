package io.eiedge.runtime.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fault-injecting file system for tests: {@code faultfs.py} (a FUSE passthrough on Debian's
 * python3-pyfuse3 and libfuse3, in this package's test resources) mounted over a backing folder.
 * It keeps every byte not yet covered by an fsync or fdatasync in memory, so {@link #cut} is a
 * real power cut for whatever runs on the mount — unlike SIGKILL, after which the page cache
 * still writes everything back. It can also fail writes with ENOSPC, fail fsync with EIO, turn
 * read-only, and count fsync-class calls and renames. The script's header says exactly what it
 * models.
 *
 * <p>Needs root (or access to {@code /dev/fuse}) and {@code /usr/bin/python3} with pyfuse3;
 * {@code scripts/test.sh} installs python3-pyfuse3 and fuse3. Without them {@link #mount} fails
 * with a message that says what is missing: a power-cut test that cannot cut is not skipped.
 */
public final class FaultFs implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";

    private final Path backing;
    private final Path mountPoint;
    private final Path control;
    private final Path log;
    private final Process process;

    private FaultFs(Path backing, Path mountPoint, Path control, Path log, Process process) {
        this.backing = backing;
        this.mountPoint = mountPoint;
        this.control = control;
        this.log = log;
        this.process = process;
    }

    /**
     * Mounts a fresh fault file system in {@code dir}: {@code dir/backing} holds what is durable,
     * {@code dir/mnt} is the mount; returns once it answers.
     */
    public static FaultFs mount(Path dir) throws IOException, InterruptedException {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IOException("no /dev/fuse: this machine cannot mount FUSE file systems (modprobe fuse, or run the "
                    + "container with --device /dev/fuse --cap-add SYS_ADMIN)");
        }
        Path backing = Files.createDirectories(dir.resolve("backing"));
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Path script = dir.resolve("faultfs.py");
        try (InputStream in = FaultFs.class.getResourceAsStream("faultfs.py")) {
            if (in == null) throw new IOException("faultfs.py is not on the test class path");
            Files.copy(in, script);
        }
        Path control = dir.resolve("faultfs.sock");
        Path log = dir.resolve("faultfs.log");
        Process p = new ProcessBuilder(PYTHON, script.toString(), backing.toString(), mnt.toString(), control.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FaultFs fs = new FaultFs(backing, mnt, control, log, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("faultfs exited with " + p.exitValue() + " (needs " + PYTHON
                        + " with pyfuse3: apt-get install python3-pyfuse3 fuse3):\n" + fs.log());
            }
            if (Files.exists(control) && isMounted(mnt)) {
                try {
                    fs.command("ping");
                    return fs;
                } catch (IOException notYet) {
                    // socket bound but not listening yet
                }
            }
            if (System.nanoTime() > deadline) {
                fs.close();
                throw new IOException("faultfs did not come up within 20 s:\n" + fs.log());
            }
            Thread.sleep(50);
        }
    }

    private static boolean isMounted(Path mnt) throws IOException {
        String target = " " + mnt.toAbsolutePath() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target) && l.contains("faultfs"));
    }

    /** Where programs under test read and write. */
    public Path root() {
        return mountPoint;
    }

    /** What a disk would hold after a power cut now (read it only while {@link #freeze frozen} or unmounted). */
    public Path durable() {
        return backing;
    }

    /** Every mutating call (write, truncate, fsync, create, rename…) waits from now on. */
    public void freeze() throws IOException {
        command("freeze");
    }

    public void thaw() throws IOException {
        command("thaw");
    }

    /**
     * Power cut: every byte not covered by an fsync is gone; calls that waited on {@link #freeze}
     * fail with EIO once thawed. Returns the file system's summary (bytes dropped, holes made).
     */
    public String cut() throws IOException {
        return command("cut");
    }

    /**
     * Power cut during writeback that reached a later part of the unsynced tail but not an earlier
     * one: for each file whose unsynced tail starts at its durable end, everything from a random later
     * write call or 4 KiB page boundary on persists, with a hole of zeros before it.
     */
    public String cutPersistingALaterPart(long seed) throws IOException {
        return command("cut reorder " + seed);
    }

    /** Writes, growing truncates and mkdir fail with ENOSPC while on (statfs reports no free blocks). */
    public void noSpace(boolean on) throws IOException {
        command("enospc " + (on ? "on" : "off"));
    }

    /** fsync/fdatasync of unsynced data and directory fsyncs fail with EIO while on; that data never becomes durable. */
    public void failFsync(boolean on) throws IOException {
        command("eio " + (on ? "on" : "off"));
    }

    /** Read-only (as after an emergency remount): every mutating call fails with EROFS while on. */
    public void readOnly(boolean on) throws IOException {
        command("erofs " + (on ? "on" : "off"));
    }

    /**
     * Every fsync-class call takes {@code ms} before it makes anything durable, as on an SD card
     * (a few to tens of ms); a cut meanwhile makes it fail and persist nothing.
     */
    public void fsyncDelay(int ms) throws IOException {
        command("fsync-delay " + ms);
    }

    /** Makes everything written durable, as a clean shutdown would. */
    public void syncAll() throws IOException {
        command("sync");
    }

    /** Counters since mount or {@link #resetStats()}: fsync, fdatasync, fsyncdir, rename, writes, written, synced, pending… */
    public Map<String, Long> stats() throws IOException {
        Map<String, Long> m = new HashMap<>();
        for (String kv : command("stats").split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return m;
    }

    public void resetStats() throws IOException {
        command("reset-stats");
    }

    /** Sends one control command; returns the answer after "ok". */
    public String command(String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(control));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (buf.position() == 0 || buf.get(buf.position() - 1) != '\n') {
                if (ch.read(buf) < 0) throw new IOException("faultfs closed the control socket on '" + line + "'");
            }
            String answer = new String(buf.array(), 0, buf.position() - 1, StandardCharsets.UTF_8);
            if (!answer.startsWith("ok")) throw new IOException("faultfs refused '" + line + "': " + answer);
            return answer.substring(2).trim();
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Unmounts (what was not synced is lost, as at a power cut) and stops the file system. */
    @Override
    public void close() {
        try {
            command("thaw");
        } catch (IOException e) {
            // already gone
        }
        try {
            new ProcessBuilder("umount", "-l", mountPoint.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
