package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;

import java.time.InstantSource;
import java.util.SortedMap;

/**
 * A simulated meter: power is constant over each step and chosen by a {@link SimulationModel}
 * from the seed and the time; the energy registers are its exact integral (in millijoules,
 * reported to 1 mWh, floored so they never go backwards). Reading costs the steps since the last
 * read plus building one sample: no sleeping, no I/O. Every sample carries {@link Quality#SIMULATED}.
 */
public final class SimulatedMeter implements Meter {
    private final SimulatedMeterConfig config;
    private final SimulationModel model;
    private final InstantSource clock;
    private final long stepMs;
    private long startMs = -1;
    private long committedMs;
    private long importMilliJ;
    private long exportMilliJ;

    public SimulatedMeter(SimulatedMeterConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.stepMs = config.step().toMillis();
        this.model = switch (config.kind()) {
            case PV -> new PvInverterModel(config.seed(), config.peakPowerW(), config.zone());
            case LOAD -> new HouseholdLoadModel(config.seed(), config.peakPowerW(), config.zone());
            case BATTERY -> new BatteryModel(config.seed(), config.peakPowerW(), config.capacityWh(), config.initialSoc(), config.zone());
            case HEAT -> new HeatMeterModel(config.seed(), config.peakPowerW(), config.zone());
        };
        if (config.start() != null) {
            startMs = config.start().toEpochMilli();
            committedMs = startMs;
        }
    }

    @Override
    public String id() {
        return config.id();
    }

    public SimulatedMeterConfig config() {
        return config;
    }

    @Override
    public synchronized Sample read() {
        long now = Math.max(0, clock.millis());
        if (startMs < 0) {
            startMs = Math.floorDiv(now, stepMs) * stepMs;
            committedMs = startMs;
        }
        if (now < committedMs) {
            // the clock went back: replay from the start, the result is the same function of time
            committedMs = startMs;
            importMilliJ = 0;
            exportMilliJ = 0;
        }
        if (now < startMs) {
            return new Sample(config.id(), now, model.values(now, 0, 0, 0), Quality.SIMULATED);
        }
        while (committedMs + stepMs <= now) {
            add(model.powerW(committedMs, importMilliJ, exportMilliJ), stepMs);
            committedMs += stepMs;
        }
        long p = model.powerW(committedMs, importMilliJ, exportMilliJ);
        long partial = now - committedMs;
        long imp = importMilliJ + Math.max(p, 0) * partial;
        long exp = exportMilliJ + Math.max(-p, 0) * partial;
        SortedMap<String, Measurement> values = model.values(now, p, imp, exp);
        return new Sample(config.id(), now, values, Quality.SIMULATED);
    }

    private void add(long powerW, long ms) {
        if (powerW > 0) {
            importMilliJ += powerW * ms;
        } else {
            exportMilliJ += -powerW * ms;
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
