package io.eiedge.runtime.web;

import io.eiedge.ledger.store.FsyncListener;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram the ledger feeds with every fsync ({@link FsyncListener}) and
 * {@code /metrics} shows as {@code eiedge_fsync_duration_seconds}. Buckets from 0.5 ms (a good
 * SSD) to 5 s (an SD card about to die); recording is two atomic adds, no lock, no allocation.
 */
public final class LatencyHistogram implements FsyncListener {
    /** Upper bounds in seconds; the implicit last bucket is +Inf. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = (long) (BOUNDS[i] * 1e9);
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
    private final LongAdder sumNanos = new LongAdder();

    @Override
    public void synced(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sumNanos.add(nanos);
    }

    /**
     * The histogram as it stands.
     *
     * @param cumulative observations at or below each bound of {@link #BOUNDS}, then the total
     */
    public record Snapshot(long[] cumulative, double sumSeconds) {
        public long count() {
            return cumulative[cumulative.length - 1];
        }
    }

    public Snapshot snapshot() {
        long[] c = new long[BOUNDS.length + 1];
        long running = 0;
        for (int i = 0; i < c.length; i++) {
            running += counts.get(i);
            c[i] = running;
        }
        return new Snapshot(c, sumNanos.sum() / 1e9);
    }
}
