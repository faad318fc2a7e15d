package io.eiedge.drivers.sim;

import java.time.ZoneOffset;

/** Local solar hour of day for the daily curves. */
final class DayCurve {
    private DayCurve() {
    }

    /** Hour of day in [0, 24) at {@code timeMs} in {@code zone}. */
    static double hour(long timeMs, ZoneOffset zone) {
        long s = Math.floorMod(Math.floorDiv(timeMs, 1000L) + zone.getTotalSeconds(), 86_400L);
        return s / 3600.0;
    }

    /** A bump of height 1 centred on {@code centre} hours with half-width {@code width} hours (cosine shaped). */
    static double bump(double hour, double centre, double width) {
        double d = Math.abs(hour - centre);
        return d >= width ? 0 : 0.5 * (1 + Math.cos(Math.PI * d / width));
    }

    /** Energy in mWh (floored) of millijoules: the precision simulated registers carry. */
    static long milliWattHours(long milliJ) {
        return Math.floorDiv(milliJ, 3600L);
    }
}
