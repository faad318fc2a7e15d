package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;

import java.time.ZoneOffset;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Heat meter on a space-heating circuit: 20 % of the peak all day, more in the morning and the
 * evening. Flow 55 °C, a fixed 20 K spread, so the volume through it is the heat energy over
 * (4.186 MJ/(m³·K) × 20 K).
 */
record HeatMeterModel(long seed, long peakW, ZoneOffset zone) implements SimulationModel {
    /** Millijoules per 0.1 litre of water cooled by 20 K: 4.186e6 J/(m³K) × 20 K × 1e-4 m³ × 1000 mJ/J. */
    private static final long MJ_PER_DECILITRE = 8_372_000L;

    @Override
    public long powerW(long stepStartMs, long importMilliJ, long exportMilliJ) {
        double h = DayCurve.hour(stepStartMs, zone);
        double shape = 0.2 + 0.7 * DayCurve.bump(h, 6.5, 2) + 0.6 * DayCurve.bump(h, 20, 3);
        double jitter = 0.9 + 0.2 * Noise.uniform(seed, Math.floorDiv(stepStartMs, 60_000L));
        return Math.round(peakW * Math.min(1, shape) * jitter);
    }

    @Override
    public SortedMap<String, Measurement> values(long timeMs, long powerW, long importMilliJ, long exportMilliJ) {
        SortedMap<String, Measurement> v = new TreeMap<>();
        v.put(Obis.HEAT_ENERGY, Measurement.of(DayCurve.milliWattHours(importMilliJ), -3, "Wh"));
        v.put(Obis.HEAT_POWER, Measurement.of(powerW, 0, "W"));
        v.put(Obis.HEAT_VOLUME, Measurement.of(Math.floorDiv(importMilliJ, MJ_PER_DECILITRE), -4, "m3"));
        long flow = 550 + Math.round(10 * Noise.uniform(seed ^ 0x33, timeMs / 60_000));
        v.put(Obis.HEAT_FLOW_TEMPERATURE, Measurement.of(flow, -1, "Cel"));
        v.put(Obis.HEAT_RETURN_TEMPERATURE, Measurement.of(flow - 200, -1, "Cel"));
        return v;
    }
}
