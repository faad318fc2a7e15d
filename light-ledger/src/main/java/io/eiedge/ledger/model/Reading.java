package io.eiedge.ledger.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One sample of one meter, the signed payload of DESIGN's {@code reading} map.
 *
 * @param values OBIS code → value; empty when the read failed (the quality bits say why)
 */
public record Reading(String deviceId, String meterId, long seq, long timeMs, ClockStatus clock,
                      SortedMap<String, ScaledValue> values, int quality) {

    public Reading {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(clock, "clock");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be ≥ 1, was " + seq);
        }
        if (timeMs < 0) {
            throw new IllegalArgumentException("time must be ≥ 0 ms, was " + timeMs);
        }
        if ((quality & ~Quality.ALL) != 0) {
            throw new IllegalArgumentException("unknown quality bits in " + quality);
        }
        values.keySet().forEach(ObisCode::require);
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static SortedMap<String, ScaledValue> values(Map<String, ScaledValue> values) {
        return new TreeMap<>(values);
    }
}
