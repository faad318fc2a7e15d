package io.eiedge.bench.footprint;

import java.time.Duration;
import java.util.Optional;

/**
 * The limits issues 11 (storage wear) and 13 (footprint on a Pi) set for the daemon with 4 meters
 * at 1 Hz; the bench prints every figure divided by its limit (≤ 1 is within it).
 */
final class FootprintLimits {
    /** Issue 13: CPU of one core over the window. */
    static final double CPU_PERCENT = 1.0;
    /** Issue 13: resident set. */
    static final double RSS_MIB = 80;
    /** Issue 13: process start to "running". */
    static final double START_SECONDS = 1.0;

    private FootprintLimits() {
    }

    /** Issue 11: bytes sent to storage per reading — 1.5 KiB at sync-interval 1s, 300 B at 10s. */
    static Optional<Double> bytesPerReading(Duration syncInterval) {
        if (syncInterval.equals(Duration.ofSeconds(1))) {
            return Optional.of(1536.0);
        }
        if (syncInterval.equals(Duration.ofSeconds(10))) {
            return Optional.of(300.0);
        }
        return Optional.empty();
    }

    /** Issue 11: fsync-class calls per second at sync-interval 1s; it states no other. */
    static Optional<Double> fsyncsPerSecond(Duration syncInterval) {
        return syncInterval.equals(Duration.ofSeconds(1)) ? Optional.of(1.2) : Optional.empty();
    }

    /** "0.93" (figure ÷ limit), or "—" without a limit. */
    static String ratio(double figure, Optional<Double> limit) {
        return limit.map(l -> String.format("%.2f", figure / l)).orElse("—");
    }
}
