package io.eiedge.runtime.node;

import io.eiedge.ledger.store.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How far upstream publishing has got: the next reading seq and the next header height to
 * publish. Persisted atomically (temp file, fsync, rename) so a restart resumes there; a crash
 * between a PUBACK and the next save re-publishes a few messages, never skips one.
 */
record OutboxCursor(long nextSeq, long nextHeight) {
    static final String FILE_NAME = "outbox.cursor";

    static OutboxCursor load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new OutboxCursor(1, 0);
        }
        String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
        if (parts.length != 2) {
            throw new IOException(file + ": expected 'nextSeq nextHeight', found '" + String.join(" ", parts) + "'");
        }
        try {
            return new OutboxCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not two numbers: " + e.getMessage(), e);
        }
    }

    void save(Path dataDir) throws IOException {
        AtomicFiles.write(dataDir.resolve(FILE_NAME), (nextSeq + " " + nextHeight + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
