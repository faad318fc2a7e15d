package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;

import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Household load: a base load of 8 % of the peak, a morning bump around 07:30 and an evening
 * bump around 19:00, plus an appliance (kettle, oven) that runs in some minutes.
 */
record HouseholdLoadModel(long seed, long peakW, ZoneOffset zone) implements SimulationModel {

    @Override
    public long powerW(long stepStartMs, long importMilliJ, long exportMilliJ) {
        double h = DayCurve.hour(stepStartMs, zone);
        double shape = 0.08 + 0.35 * DayCurve.bump(h, 7.5, 1.5) + 0.6 * DayCurve.bump(h, 19, 3);
        long minute = Math.floorDiv(stepStartMs, 60_000L);
        double appliance = Noise.uniform(seed, minute) < 0.08 ? 0.4 : 0;
        double jitter = 0.95 + 0.1 * Noise.uniform(seed ^ 0x77, Math.floorDiv(stepStartMs, 1000L));
        return Math.round(peakW * (shape + appliance) * jitter);
    }

    @Override
    public SortedMap<String, Measurement> values(long timeMs, long powerW, long importMilliJ, long exportMilliJ) {
        SortedMap<String, Measurement> v = new TreeMap<>();
        v.put(Obis.ACTIVE_ENERGY_IMPORT, Measurement.of(DayCurve.milliWattHours(importMilliJ), -3, "Wh"));
        v.put(Obis.ACTIVE_POWER, Measurement.of(powerW, 0, "W"));
        v.put(Obis.VOLTAGE_L1, Measurement.of(2280 + Math.round(20 * Noise.uniform(seed ^ 0x5A5A, timeMs / 1000)), -1, "V"));
        return v;
    }
}
