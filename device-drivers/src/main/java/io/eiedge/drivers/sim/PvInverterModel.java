package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;

import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;

/** PV inverter: a sine-shaped day from 06:00 to 20:00 solar time, dimmed by clouds that change every 5 minutes. */
record PvInverterModel(long seed, long peakW, ZoneOffset zone) implements SimulationModel {

    @Override
    public long powerW(long stepStartMs, long importMilliJ, long exportMilliJ) {
        double h = DayCurve.hour(stepStartMs, zone);
        if (h < 6 || h >= 20) {
            return 0;
        }
        double sun = Math.pow(Math.sin(Math.PI * (h - 6) / 14), 1.5);
        double clouds = 0.55 + 0.45 * Noise.uniform(seed, Math.floorDiv(stepStartMs, 300_000L));
        return -Math.round(peakW * sun * clouds);
    }

    @Override
    public SortedMap<String, Measurement> values(long timeMs, long powerW, long importMilliJ, long exportMilliJ) {
        SortedMap<String, Measurement> v = new TreeMap<>();
        v.put(Obis.ACTIVE_ENERGY_EXPORT, Measurement.of(DayCurve.milliWattHours(exportMilliJ), -3, "Wh"));
        v.put(Obis.ACTIVE_POWER, Measurement.of(powerW, 0, "W"));
        v.put(Obis.VOLTAGE_L1, Measurement.of(2290 + Math.round(20 * Noise.uniform(seed ^ 0x5A5A, timeMs / 1000)), -1, "V"));
        v.put(Obis.FREQUENCY, Measurement.of(4995 + Math.round(10 * Noise.uniform(seed ^ 0xA5A5, timeMs / 1000)), -2, "Hz"));
        return v;
    }
}
