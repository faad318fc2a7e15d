package io.eiedge.drivers.meter;

import java.time.Duration;

/**
 * What a meter does when reads keep failing. After {@code failuresBeforeBackoff} failures in a
 * row it stops touching the wire for {@code firstBackoff}, doubling up to {@code maxBackoff}
 * (so a dead meter does not eat a shared RS-485 bus's time); reads in that window return at once
 * with the last failure's quality bits. The first good read ends the back-off. For up to
 * {@code holdLastGood} after the last good read, a failed read returns the last good values with
 * {@link Quality#HELD} (zero: never, the sample is empty).
 */
public record FailurePolicy(int failuresBeforeBackoff, Duration firstBackoff, Duration maxBackoff, Duration holdLastGood) {

    /** 3 failures, then 5 s doubling to 5 min; nothing held. */
    public static final FailurePolicy DEFAULT = new FailurePolicy(3, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ZERO);

    public FailurePolicy {
        if (failuresBeforeBackoff < 1) {
            throw new IllegalArgumentException("failure policy: failuresBeforeBackoff " + failuresBeforeBackoff + " must be at least 1");
        }
        if (firstBackoff == null || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("failure policy: firstBackoff " + firstBackoff + " must be zero or positive");
        }
        if (maxBackoff == null || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("failure policy: maxBackoff " + maxBackoff + " must be at least firstBackoff " + firstBackoff);
        }
        if (holdLastGood == null || holdLastGood.isNegative()) {
            throw new IllegalArgumentException("failure policy: holdLastGood " + holdLastGood + " must be zero or positive");
        }
    }

    /** How long to leave the wire alone after {@code consecutiveFailures} failures (zero: try now). */
    public Duration backoffAfter(int consecutiveFailures) {
        int over = consecutiveFailures - failuresBeforeBackoff;
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration d = firstBackoff;
        for (int i = 0; i < over && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
