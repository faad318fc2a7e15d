package io.eiedge.ledger.chain;

import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.ObisCode;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** A sample ready to become a reading: everything but the device id and seq, which the chain assigns. */
public record ReadingDraft(String meterId, long timeMs, ClockStatus clock, SortedMap<String, ScaledValue> values, int quality) {

    public ReadingDraft {
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(clock, "clock");
        if (meterId.isEmpty() || meterId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("meter id must be non-empty without '/': '" + meterId + "'");
        }
        if (timeMs < 0) {
            throw new IllegalArgumentException("meter " + meterId + ": time must be ≥ 0 ms");
        }
        if ((quality & ~Quality.ALL) != 0) {
            throw new IllegalArgumentException("meter " + meterId + ": unknown quality bits in " + quality);
        }
        values.keySet().forEach(ObisCode::require);
        values = new TreeMap<>(values);
    }

    public static ReadingDraft of(String meterId, long timeMs, ClockStatus clock, Map<String, ScaledValue> values, int quality) {
        return new ReadingDraft(meterId, timeMs, clock, new TreeMap<>(values), quality);
    }
}
