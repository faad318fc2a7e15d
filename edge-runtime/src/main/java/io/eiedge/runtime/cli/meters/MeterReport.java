package io.eiedge.runtime.cli.meters;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;

import java.io.PrintWriter;
import java.util.Map;

/** Prints one read of one meter for a person on a ladder: a verdict, then one line per value. */
public final class MeterReport {

    private MeterReport() {
    }

    /**
     * @param what     "tcp 192.0.2.1:502 unit 1, profile sdm630"
     * @param problem  the meter's lastError(), or null
     * @return true when the meter answered
     */
    public static boolean print(PrintWriter out, String what, Sample s, String problem, long millis) {
        out.println("meter   " + what);
        boolean answered = !s.values().isEmpty() && (s.quality() & (Quality.TIMEOUT | Quality.COMM_ERROR)) == 0;
        String verdict;
        if ((s.quality() & Quality.TIMEOUT) != 0) {
            verdict = "TIMEOUT - no answer. Check wiring (A/B swapped?), unit id, baud rate and parity";
        } else if ((s.quality() & Quality.COMM_ERROR) != 0) {
            verdict = "ERROR - " + (problem == null ? Quality.describe(s.quality()) : problem);
        } else {
            verdict = "ANSWERS - " + s.values().size() + " values in " + millis + " ms"
                    + (s.quality() == 0 ? "" : " (" + Quality.describe(s.quality()) + ")");
        }
        out.println("verdict " + verdict);
        if ((s.quality() & Quality.TIMEOUT) != 0 && problem != null) {
            out.println("        " + problem);
        }
        for (Map.Entry<String, Measurement> e : s.values().entrySet()) {
            out.printf("  %-12s %-34s %s%n", e.getKey(), Obis.name(e.getKey()), e.getValue().plain());
        }
        if (answered && problem != null) {
            out.println("warning " + problem);
        }
        out.flush();
        return answered;
    }
}
