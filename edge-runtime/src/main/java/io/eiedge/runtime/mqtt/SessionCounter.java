package io.eiedge.runtime.mqtt;

import io.eiedge.ledger.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
        AtomicFiles.write(file, (value + "\n").getBytes(StandardCharsets.US_ASCII));
        current = value;
        return value;
    }
}
