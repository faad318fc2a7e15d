package io.eiedge.ledger.model;

import java.util.ArrayList;
import java.util.List;

/** Quality bits of a reading (key 7); 0 means good. */
public final class Quality {
    public static final int GOOD = 0;
    public static final int TIMEOUT = 1;
    public static final int COMM_ERROR = 2;
    public static final int OUT_OF_RANGE = 4;
    public static final int COUNTER_RESET = 8;
    public static final int SIMULATED = 16;
    public static final int HELD = 32;
    /** Every bit the contract defines; others are refused. */
    public static final int ALL = 63;

    private static final String[] NAMES = {"timeout", "comm-error", "out-of-range", "counter-reset", "simulated", "held"};

    private Quality() {
    }

    public static String describe(int bits) {
        if (bits == GOOD) {
            return "good";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(NAMES[i]);
            }
        }
        return String.join("+", names);
    }
}
