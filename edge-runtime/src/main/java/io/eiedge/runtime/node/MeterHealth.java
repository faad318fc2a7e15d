package io.eiedge.runtime.node;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the node knows of one meter: its last sample, how many reads failed and why, the last
 * good read, the driver's back-off, the last error.
 */
final class MeterHealth {
    /** The failure kinds counted, by quality bit; names are the metric's {@code kind} label. */
    private static final Map<Integer, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(Quality.TIMEOUT, "timeout");
        KINDS.put(Quality.COMM_ERROR, "communication");
        KINDS.put(Quality.OUT_OF_RANGE, "out-of-range");
        KINDS.put(Quality.COUNTER_RESET, "counter-reset");
    }

    private final String meterId;
    private long reads;
    private long failures;
    private long consecutiveFailures;
    private long lastGoodMs;
    private long backoffUntilMs;
    private final Map<String, Long> failuresByKind = new TreeMap<>();
    private Sample last;
    private String lastError;

    MeterHealth(String meterId) {
        this.meterId = meterId;
        KINDS.values().forEach(k -> failuresByKind.put(k, 0L));
    }

    /** @param backoffUntil the driver's back-off end after this read (epoch ms), 0 without */
    synchronized void record(Sample sample, String error, long backoffUntil) {
        reads++;
        backoffUntilMs = backoffUntil;
        if (!sample.good()) {
            failures++;
            lastError = error;
            KINDS.forEach((bit, kind) -> {
                if ((sample.quality() & bit) != 0) failuresByKind.merge(kind, 1L, Long::sum);
            });
            // a sample with values (out of range dropped one, a counter reset) still answered
            if ((sample.quality() & (Quality.TIMEOUT | Quality.COMM_ERROR)) != 0) {
                consecutiveFailures++;
            } else {
                consecutiveFailures = 0;
                lastGoodMs = sample.timeMs();
            }
        } else {
            consecutiveFailures = 0;
            lastGoodMs = sample.timeMs();
            lastError = null;
        }
        last = sample;
    }

    synchronized NodeStatus.MeterStatus snapshot() {
        SortedMap<String, String> values = new TreeMap<>();
        SortedMap<String, String> names = new TreeMap<>();
        int quality = 0;
        long time = 0;
        if (last != null) {
            for (Map.Entry<String, Measurement> e : last.values().entrySet()) {
                values.put(e.getKey(), e.getValue().plain());
                names.put(e.getKey(), Obis.name(e.getKey()));
            }
            quality = last.quality();
            time = last.timeMs();
        }
        return new NodeStatus.MeterStatus(meterId, reads, failures, quality, describe(quality), time, values, lastError,
                names, lastGoodMs, consecutiveFailures, backoffUntilMs,
                java.util.Collections.unmodifiableSortedMap(new TreeMap<>(failuresByKind)));
    }

    private static String describe(int q) {
        return io.eiedge.ledger.model.Quality.describe(q & Quality.ALL);
    }
}
