package io.eiedge.runtime.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system for full-disk tests: a size-limited tmpfs mounted on a folder (root
 * only, as in CI). {@link #fill} writes another file until the kernel says ENOSPC — the way a log
 * or a download fills a technician's SD card — and {@link #free} deletes it again.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("other-program.bin");
    }

    /** Mounts a tmpfs of {@code bytes} on {@code dir} (created if needed). */
    public static SmallDisk mount(Path dir, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0755", "eiedge-test-disk", dir.toString());
        return new SmallDisk(dir);
    }

    public Path root() {
        return mountPoint;
    }

    /** Writes a filler file until the disk is full; returns its size. */
    public long fill() throws IOException {
        byte[] chunk = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
        }
        return written;
    }

    /** Deletes the filler: room returns. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (needs root): " + out);
        }
    }
}
