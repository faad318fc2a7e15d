package io.eiedge.runtime.node;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import org.tinylog.Logger;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A driver's sample becomes a reading draft. The drivers already speak the contract (OBIS
 * codes, DLMS scaler, SenML unit, quality bits); a value the ledger would refuse is dropped
 * and flagged out-of-range rather than losing the whole reading.
 */
final class SampleConverter {
    private SampleConverter() {
    }

    static ReadingDraft toDraft(Sample sample, ClockStatus clock) {
        SortedMap<String, ScaledValue> values = new TreeMap<>();
        int quality = sample.quality();
        for (Map.Entry<String, Measurement> e : sample.values().entrySet()) {
            Measurement m = e.getValue();
            try {
                values.put(e.getKey(), new ScaledValue(m.mantissa(), m.scaler(), m.unit()));
            } catch (IllegalArgumentException ex) {
                Logger.warn("meter {}: dropping {} = {}: {}", sample.meterId(), e.getKey(), m, ex.getMessage());
                quality |= Quality.OUT_OF_RANGE;
            }
        }
        return new ReadingDraft(sample.meterId(), sample.timeMs(), clock, values, quality);
    }
}
