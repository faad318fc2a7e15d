package io.eiedge.drivers.s0;

import org.tinylog.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Pulse counters on disk, one small text file per meter ({@code <dir>/<meterId>.pulses}),
 * replaced atomically (write a temporary file, fsync, rename, fsync the folder) so a power cut
 * leaves either the old or the new count, never a torn file. The runtime passes the folder,
 * /var/lib/eiedge/pulses by default.
 */
public final class PulseCounterStore {
    private static final String HEADER = "eiedge-pulses 1";
    private final Path dir;

    public PulseCounterStore(Path dir) {
        this.dir = dir;
    }

    /** A loaded counter; {@code reset} when it starts from 0 because no usable file was there. */
    public record Loaded(long count, boolean reset, String note) {
    }

    public Loaded load(String meterId) {
        Path file = file(meterId);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Loaded(0, true, "no pulse counter file " + file + ": counting from 0");
        } catch (IOException e) {
            return new Loaded(0, true, "cannot read pulse counter file " + file + " (" + e.getMessage() + "): counting from 0");
        }
        String[] lines = text.split("\n");
        if (lines.length >= 2 && lines[0].equals(HEADER) && lines[1].startsWith("count=")) {
            try {
                long count = Long.parseLong(lines[1].substring(6).trim());
                if (count >= 0) {
                    return new Loaded(count, false, null);
                }
            } catch (NumberFormatException ignored) {
                // fall through: corrupt
            }
        }
        Path aside = dir.resolve(meterId + ".pulses.corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Logger.warn("meter {}: cannot move corrupt {} aside: {}", meterId, file, e.getMessage());
        }
        return new Loaded(0, true, "pulse counter file " + file + " is corrupt (kept as " + aside + "): counting from 0");
    }

    /** Writes {@code count} atomically and durably. */
    public void save(String meterId, long count) throws IOException {
        Files.createDirectories(dir);
        Path file = file(meterId);
        Path tmp = dir.resolve(meterId + ".pulses.tmp");
        byte[] bytes = (HEADER + "\ncount=" + count + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a folder; the rename is still atomic
        }
    }

    public Path file(String meterId) {
        return dir.resolve(meterId + ".pulses");
    }
}
