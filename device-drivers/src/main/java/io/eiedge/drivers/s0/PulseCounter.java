package io.eiedge.drivers.s0;

/**
 * Counts S0 pulses from line levels with their times, ignoring contact bounce: a change to the
 * active level counts only when the line had been idle for at least the debounce time, so the
 * chatter at the start of a pulse and at its end is never counted. Thread-safe.
 */
public final class PulseCounter {
    private final long debounceNanos;
    private long count;
    private boolean active;
    private long lastChangeNanos;
    private boolean seenChange;
    private long lastPulseNanos;
    private long previousPulseNanos;
    private int pulsesSeen;

    public PulseCounter(long startCount, long debounceNanos) {
        this.count = startCount;
        this.debounceNanos = debounceNanos;
    }

    /** The line is now {@code nowActive} (active = in a pulse), at monotonic time {@code nanos}. */
    public synchronized void level(boolean nowActive, long nanos) {
        if (nowActive == active) {
            return;
        }
        boolean idleLongEnough = !seenChange || nanos - lastChangeNanos >= debounceNanos;
        active = nowActive;
        lastChangeNanos = nanos;
        seenChange = true;
        if (nowActive && idleLongEnough) {
            count++;
            previousPulseNanos = lastPulseNanos;
            lastPulseNanos = nanos;
            pulsesSeen++;
        }
    }

    public synchronized long count() {
        return count;
    }

    /**
     * Nanoseconds per pulse for a power estimate at {@code nanos}: the last interval, or the time
     * since the last pulse when that is longer (power falls off when pulses stop); -1 before two pulses.
     */
    public synchronized long pulseIntervalNanos(long nanos) {
        if (pulsesSeen < 2) {
            return -1;
        }
        return Math.max(lastPulseNanos - previousPulseNanos, nanos - lastPulseNanos);
    }
}
