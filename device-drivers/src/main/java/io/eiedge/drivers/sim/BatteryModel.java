package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;

import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Battery: charges 10:00–15:00 (PV surplus), discharges 17:00–23:00, idles otherwise; stops at
 * 100 % and at 5 %. Lossless, so its content is exactly the initial content plus charged minus
 * discharged energy, and its state of charge follows from that.
 */
final class BatteryModel implements SimulationModel {
    private static final long MJ_PER_WH = 3600L;
    private final long seed;
    private final long maxW;
    private final long capacityMilliJ;
    private final long initialMilliJ;
    private final ZoneOffset zone;

    BatteryModel(long seed, long maxW, long capacityWh, double initialSoc, ZoneOffset zone) {
        this.seed = seed;
        this.maxW = maxW;
        this.capacityMilliJ = capacityWh * 1000 * MJ_PER_WH;
        this.initialMilliJ = Math.round(capacityMilliJ * initialSoc / 100);
        this.zone = zone;
    }

    private long content(long importMilliJ, long exportMilliJ) {
        return initialMilliJ + importMilliJ - exportMilliJ;
    }

    @Override
    public long powerW(long stepStartMs, long importMilliJ, long exportMilliJ) {
        double h = DayCurve.hour(stepStartMs, zone);
        long content = content(importMilliJ, exportMilliJ);
        double level = 0.7 + 0.3 * Noise.uniform(seed, Math.floorDiv(stepStartMs, 60_000L));
        if (h >= 10 && h < 15 && content < capacityMilliJ) {
            return Math.round(maxW * level);
        }
        if (h >= 17 && h < 23 && content > capacityMilliJ / 20) {
            return -Math.round(maxW * level);
        }
        return 0;
    }

    @Override
    public SortedMap<String, Measurement> values(long timeMs, long powerW, long importMilliJ, long exportMilliJ) {
        long content = content(importMilliJ, exportMilliJ);
        SortedMap<String, Measurement> v = new TreeMap<>();
        v.put(Obis.ACTIVE_ENERGY_IMPORT, Measurement.of(DayCurve.milliWattHours(importMilliJ), -3, "Wh"));
        v.put(Obis.ACTIVE_ENERGY_EXPORT, Measurement.of(DayCurve.milliWattHours(exportMilliJ), -3, "Wh"));
        v.put(Obis.ACTIVE_POWER, Measurement.of(powerW, 0, "W"));
        v.put(Obis.PRIVATE_STORE_ENERGY_CONTENT, Measurement.of(DayCurve.milliWattHours(content), -3, "Wh"));
        // state of charge in 0.1 % steps
        v.put(Obis.PRIVATE_BATTERY_STATE_OF_CHARGE, Measurement.of(Math.min(1000, Math.floorDiv(content * 1000, capacityMilliJ)), -1, "%EL"));
        return v;
    }
}
