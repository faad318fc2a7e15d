package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.MeterConfig;
import io.eiedge.drivers.meter.MeterSettings;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * A simulated meter for the demo and tests. Deterministic: the same kind, seed, start and clock
 * give the same samples, however often it is read.
 *
 * @param id           meter id on this device
 * @param kind         what it simulates
 * @param seed         seed of the deterministic noise
 * @param peakPowerW   PV: peak output; load: typical evening peak; battery: charge/discharge power; heat: peak heat power (1 W…10 MW)
 * @param capacityWh   battery only: usable capacity (else ignored, use 0)
 * @param initialSoc   battery only: state of charge at start, percent 0…100
 * @param step         power is constant over each step (100 ms…1 h); energy is its exact integral
 * @param zone         offset of local solar time, for the daily curves
 * @param start        when the energy registers start from 0 (null: the first read, floored to a step)
 */
public record SimulatedMeterConfig(String id, Kind kind, long seed, long peakPowerW, long capacityWh, double initialSoc,
                                   Duration step, ZoneOffset zone, Instant start) implements MeterConfig {

    public enum Kind {
        /** PV inverter on a daily curve with passing clouds: exports (negative 1-0:16.7.0, 1-0:2.8.0). */
        PV,
        /** Household load with base load, morning and evening peaks and appliances: imports (1-0:1.8.0). */
        LOAD,
        /** Battery: charges around midday, discharges in the evening, within its capacity. */
        BATTERY,
        /** Heat meter: heat energy 6-0:1.0.0, more in the morning and evening. */
        HEAT;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("simulated meter kind '" + s + "' is not one of pv, load, battery, heat");
            }
        }
    }

    public SimulatedMeterConfig {
        MeterConfig.requireId(id);
        Objects.requireNonNull(kind, () -> "meter " + id + ": kind");
        if (!MeterSettings.PEAK_POWER_W.accepts(peakPowerW)) {
            throw new IllegalArgumentException("meter " + id + ": peak power " + peakPowerW + " W is outside "
                    + MeterSettings.PEAK_POWER_W.range() + " W");
        }
        if (kind == Kind.BATTERY) {
            if (capacityWh < 1 || capacityWh > 100_000_000) {
                throw new IllegalArgumentException("meter " + id + ": battery capacity " + capacityWh + " Wh must be 1 Wh…100 MWh");
            }
            if (!(initialSoc >= 0 && initialSoc <= 100)) {
                throw new IllegalArgumentException("meter " + id + ": initial state of charge " + initialSoc + " % must be 0…100");
            }
        }
        if (step == null || step.toMillis() < 100 || step.toMillis() > 3_600_000) {
            throw new IllegalArgumentException("meter " + id + ": step " + step + " must be 100 ms…1 h");
        }
        Objects.requireNonNull(zone, () -> "meter " + id + ": zone");
    }

    /** A simulated meter with 1 s steps, UTC solar time, starting at its first read; battery 10 kWh at 50 %. */
    public static SimulatedMeterConfig of(String id, Kind kind, long seed, long peakPowerW) {
        return new SimulatedMeterConfig(id, kind, seed, peakPowerW, kind == Kind.BATTERY ? 10_000 : 0, 50,
                Duration.ofSeconds(1), ZoneOffset.UTC, null);
    }
}
