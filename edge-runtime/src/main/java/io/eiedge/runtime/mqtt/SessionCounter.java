package io.eiedge.runtime.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The MQTT {@code session} number carried by the online state and by the will. It is raised and
 * made durable <em>before</em> each connect, so that after any crash the next connection carries a
 * larger number than every will the broker may still hold: subscribers ignore an offline state
 * whose session is older than the newest online one.
 *
 * <p>Stored as decimal text in {@code {dataDir}/mqtt-session}; replaced atomically (temporary file,
 * fsync, rename, fsync of the directory) so a power cut leaves either the old or the new value.
 */
public final class SessionCounter {
    public static final String FILE_NAME = "mqtt-session";

    private final Path file;
    private long current;

    private SessionCounter(Path file, long current) {
        this.file = file;
        this.current = current;
    }

    /** Opens (or starts at 0) the counter in {@code dataDir}, creating the directory if needed. */
    public static SessionCounter open(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        long value;
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": expected a session number, found \"" + text + "\"", e);
            }
            if (value < 0) throw new IOException(file + ": expected a session number >= 0, found " + value);
        } catch (NoSuchFileException e) {
            value = 0;
        }
        return new SessionCounter(file, value);
    }

    /** The last number handed out (0 before the first connect). */
    public synchronized long current() {
        return current;
    }

    /** Raises the counter, makes it durable, and returns the new value. */
    public synchronized long next() throws IOException {
        long value = current + 1;
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(file.getParent());
        current = value;
        return value;
    }

    private static void syncDirectory(Path dir) {
        // makes the rename itself durable on Linux; not supported everywhere, hence best effort
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // the rename is still atomic; only its durability across a power cut is weaker
        }
    }
}
