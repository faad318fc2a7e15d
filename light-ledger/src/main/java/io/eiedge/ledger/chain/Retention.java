package io.eiedge.ledger.chain;

import java.time.Duration;

/**
 * How long reading bodies are kept. Headers are always kept. Bodies go by whole segments,
 * once every block in a segment is older than {@code maxAge}, or oldest first while the
 * bodies take more than {@code maxBytes} (0 = no size cap).
 */
public record Retention(Duration maxAge, long maxBytes, long segmentBytes) {
    public static final Retention DEFAULT = new Retention(Duration.ofDays(30), 0, 16L << 20);

    public Retention {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("retention age must be positive, was " + maxAge);
        }
        if (maxBytes < 0 || segmentBytes < 4096) {
            throw new IllegalArgumentException("retention size must be ≥ 0 and segments ≥ 4 KiB");
        }
    }
}
