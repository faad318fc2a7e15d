package io.eiedge.runtime.peer;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Exponential back-off driven by a clock: after the n-th failure in a row the next attempt waits
 * {@code (2^(n-1) - 1) × step}, at most {@code max} — 0, 1, 3, 7, 15… steps — so one failure costs
 * nothing and a party that keeps failing is tried (or heard) ever more rarely. A success ends the
 * series; so does a quiet spell of {@code forgetAfter} without a failure, so a peer that misbehaved
 * once long ago is not still paying for it. Thread-safe.
 */
public final class Backoff {
    private final InstantSource clock;
    private final long stepMs;
    private final long maxMs;
    private final long forgetAfterMs;
    private int failures;
    private long lastFailureMs;
    private long waitUntilMs;

    public Backoff(InstantSource clock, Duration step, Duration max, Duration forgetAfter) {
        if (step.isNegative() || max.compareTo(step) < 0 || forgetAfter.isNegative()) {
            throw new IllegalArgumentException("back-off needs 0 <= step <= max and forgetAfter >= 0");
        }
        this.clock = clock;
        this.stepMs = step.toMillis();
        this.maxMs = max.toMillis();
        this.forgetAfterMs = forgetAfter.toMillis();
    }

    /** Counts a failure; returns how long the next attempt now waits. */
    public synchronized Duration failed() {
        long now = clock.millis();
        if (failures > 0 && now - lastFailureMs > forgetAfterMs) {
            failures = 0;
        }
        failures++;
        lastFailureMs = now;
        long steps = (1L << Math.min(failures - 1, 30)) - 1;
        long wait = steps > maxMs / Math.max(1, stepMs) ? maxMs : Math.min(maxMs, steps * stepMs);
        waitUntilMs = now + wait;
        return Duration.ofMillis(wait);
    }

    /** Ends the series: the next attempt goes at once. */
    public synchronized void succeeded() {
        failures = 0;
        waitUntilMs = 0;
    }

    /** Whether an attempt now would come too early. */
    public synchronized boolean waiting() {
        return clock.millis() < waitUntilMs;
    }

    /** Failures in the current series. */
    public synchronized int failures() {
        return failures;
    }
}
