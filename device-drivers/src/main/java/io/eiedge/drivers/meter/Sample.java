package io.eiedge.drivers.meter;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One read of one meter: the time it was read, its values keyed by OBIS code text
 * ("A-B:C.D.E") and the quality bits of {@link Quality}. Values are empty when the read failed
 * (unless the meter holds its last good values, flagged with {@link Quality#HELD}).
 */
public record Sample(String meterId, long timeMs, SortedMap<String, Measurement> values, int quality) {

    public Sample {
        Objects.requireNonNull(meterId, "meterId");
        if (timeMs < 0) {
            throw new IllegalArgumentException("sample of meter '" + meterId + "': time " + timeMs + " ms is before the epoch");
        }
        if (quality < 0 || quality > Quality.ALL) {
            throw new IllegalArgumentException("sample of meter '" + meterId + "': unknown quality bits " + quality);
        }
        TreeMap<String, Measurement> copy = new TreeMap<>();
        for (Map.Entry<String, Measurement> e : values.entrySet()) {
            Obis.requireValid(e.getKey());
            copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
        }
        values = Collections.unmodifiableSortedMap(copy);
    }

    /** A failed read: no values, the given quality bits. */
    public static Sample failed(String meterId, long timeMs, int quality) {
        return new Sample(meterId, timeMs, new TreeMap<>(), quality);
    }

    /** True when no quality bit other than {@link Quality#SIMULATED} is set. */
    public boolean good() {
        return (quality & ~Quality.SIMULATED) == 0;
    }
}
