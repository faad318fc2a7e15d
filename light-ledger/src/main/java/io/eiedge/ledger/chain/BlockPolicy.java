package io.eiedge.ledger.chain;

import java.time.Duration;

/**
 * When a block is sealed: after {@code maxReadings} readings or {@code maxAge} since the last
 * seal, whichever comes first. DESIGN's defaults are 4096 readings / 300 s.
 */
public record BlockPolicy(int maxReadings, Duration maxAge) {
    public static final BlockPolicy DEFAULT = new BlockPolicy(4096, Duration.ofSeconds(300));

    public BlockPolicy {
        if (maxReadings < 1 || maxReadings > 1_000_000) {
            throw new IllegalArgumentException("block max readings must be 1..1000000, was " + maxReadings);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("block max age must be positive, was " + maxAge);
        }
    }
}
