package io.eiedge.runtime.node;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What the node knows of one meter: its last sample, how many reads failed, the last error. */
final class MeterHealth {
    private final String meterId;
    private long reads;
    private long failures;
    private Sample last;
    private String lastError;

    MeterHealth(String meterId) {
        this.meterId = meterId;
    }

    synchronized void record(Sample sample, String error) {
        reads++;
        if (!sample.good()) {
            failures++;
            lastError = error;
        }
        last = sample;
    }

    synchronized NodeStatus.MeterStatus snapshot() {
        SortedMap<String, String> values = new TreeMap<>();
        int quality = 0;
        long time = 0;
        if (last != null) {
            for (Map.Entry<String, Measurement> e : last.values().entrySet()) {
                values.put(e.getKey(), e.getValue().plain());
            }
            quality = last.quality();
            time = last.timeMs();
        }
        return new NodeStatus.MeterStatus(meterId, reads, failures, quality, describe(quality), time, values, lastError);
    }

    private static String describe(int q) {
        return io.eiedge.ledger.model.Quality.describe(q & Quality.ALL);
    }
}
