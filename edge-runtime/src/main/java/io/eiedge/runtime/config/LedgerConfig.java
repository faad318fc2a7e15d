package io.eiedge.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The local chain: where it lives, when a block is sealed (whichever limit comes first) and how
 * long reading bodies are kept (headers are kept forever).
 *
 * @param dataDir           ledger store, peer headers, outbox, MQTT session counter
 * @param blockMaxReadings  seal after this many readings
 * @param blockMaxAge       seal after this long
 * @param retention         prune reading bodies older than this
 * @param retentionMaxBytes prune oldest reading bodies beyond this size, when set
 */
public record LedgerConfig(Path dataDir, int blockMaxReadings, Duration blockMaxAge, Duration retention,
                           OptionalLong retentionMaxBytes) {

    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/eiedge");
    public static final int DEFAULT_BLOCK_MAX_READINGS = 4096;
    public static final Duration DEFAULT_BLOCK_MAX_AGE = Duration.ofSeconds(300);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public LedgerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(blockMaxAge, "blockMaxAge");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(retentionMaxBytes, "retentionMaxBytes");
    }

    public static LedgerConfig defaults() {
        return new LedgerConfig(DEFAULT_DATA_DIR, DEFAULT_BLOCK_MAX_READINGS, DEFAULT_BLOCK_MAX_AGE,
                DEFAULT_RETENTION, OptionalLong.empty());
    }
}
