package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;

import java.util.SortedMap;

/** What a simulated meter simulates; {@link SimulatedMeter} integrates its power exactly. */
interface SimulationModel {

    /**
     * Power in whole watts over the step starting at {@code stepStartMs}: + into the metered
     * thing (import, charging, heat delivered), − out of it (export, discharging). May depend on
     * the energies so far (a battery's charge), never on wall time or randomness outside {@link Noise}.
     */
    long powerW(long stepStartMs, long importMilliJ, long exportMilliJ);

    /** The values at {@code timeMs}, given the power now and the exact energies in millijoules. */
    SortedMap<String, Measurement> values(long timeMs, long powerW, long importMilliJ, long exportMilliJ);
}
