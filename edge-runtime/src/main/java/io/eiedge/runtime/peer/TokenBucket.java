package io.eiedge.runtime.peer;

import java.time.InstantSource;

/**
 * A rate limit driven by a clock: {@code burst} tokens, refilled at {@code perSecond}; each
 * admitted unit of work takes one. Not thread-safe: its owner serialises access.
 */
public final class TokenBucket {
    private final InstantSource clock;
    private final double perMs;
    private final double burst;
    private double tokens;
    private long lastMs;

    public TokenBucket(InstantSource clock, double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and a burst of at least 1");
        }
        this.clock = clock;
        this.perMs = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.lastMs = clock.millis();
    }

    /** Takes a token if one is left. */
    public boolean tryTake() {
        long now = clock.millis();
        if (now > lastMs) {
            tokens = Math.min(burst, tokens + (now - lastMs) * perMs);
            lastMs = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
