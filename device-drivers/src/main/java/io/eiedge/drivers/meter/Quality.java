package io.eiedge.drivers.meter;

import java.util.ArrayList;
import java.util.List;

/** Quality bits of a {@link Sample} (DESIGN.md, Readings): 0 means good. */
public final class Quality {
    /** The meter did not answer within its timeout (after retries). */
    public static final int TIMEOUT = 1;
    /**
     * The line or the device failed: CRC error, corrupt or short frame, a Modbus exception
     * response, the port or gateway cannot be opened.
     */
    public static final int COMM_ERROR = 2;
    /** A value was nonsense (NaN, infinite, negative energy, outside its plausible range) and was dropped. */
    public static final int OUT_OF_RANGE = 4;
    /** An energy register went backwards (meter reset or rollover) or a pulse counter restarted from zero. */
    public static final int COUNTER_RESET = 8;
    /** The values come from a simulated meter. */
    public static final int SIMULATED = 16;
    /** The read failed and the values are the last good ones, held. */
    public static final int HELD = 32;
    /** Every defined bit. */
    public static final int ALL = 63;

    private Quality() {
    }

    /** Plain-language names of the bits set, e.g. "timeout, value held"; "good" for 0. */
    public static String describe(int quality) {
        if (quality == 0) {
            return "good";
        }
        List<String> parts = new ArrayList<>();
        if ((quality & TIMEOUT) != 0) parts.add("timeout");
        if ((quality & COMM_ERROR) != 0) parts.add("communication error");
        if ((quality & OUT_OF_RANGE) != 0) parts.add("value out of range");
        if ((quality & COUNTER_RESET) != 0) parts.add("counter reset/rollover");
        if ((quality & SIMULATED) != 0) parts.add("simulated");
        if ((quality & HELD) != 0) parts.add("value held from last good read");
        return String.join(", ", parts);
    }
}
