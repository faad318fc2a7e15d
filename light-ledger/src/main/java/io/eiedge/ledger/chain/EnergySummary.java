package io.eiedge.ledger.chain;

import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.ScaledValue;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The running energy-flow summary a header carries (key 8): for every energy register seen
 * (a value whose unit is cumulative: Wh, J, m3, varh, VAh), "meterId/OBIS" → its newest value.
 * A failed read carries no values and so leaves the last good value in place.
 */
final class EnergySummary {
    private final SortedMap<String, ScaledValue> registers = new TreeMap<>();

    EnergySummary(Map<String, ScaledValue> start) {
        registers.putAll(start);
    }

    void apply(Reading r) {
        for (var e : r.values().entrySet()) {
            if (e.getValue().isEnergy()) {
                registers.put(r.meterId() + "/" + e.getKey(), e.getValue());
            }
        }
    }

    SortedMap<String, ScaledValue> snapshot() {
        return new TreeMap<>(registers);
    }
}
