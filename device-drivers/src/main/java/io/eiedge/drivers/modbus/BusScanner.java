package io.eiedge.drivers.modbus;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds which unit ids answer on a link: a one-register read to each, once, with a short
 * timeout. An exception response counts as answering (a device is there, it just has no such
 * register).
 */
public final class BusScanner {

    private BusScanner() {
    }

    /** What one unit id did. */
    public record Result(int unitId, boolean answers, String verdict) {
    }

    public static List<Result> scan(ModbusLink link, int from, int to, RegisterType type, int address, int timeoutMs) {
        List<Result> out = new ArrayList<>();
        for (int unit = from; unit <= to; unit++) {
            try {
                link.readOnce(unit, type, address, 1, timeoutMs);
                out.add(new Result(unit, true, "answers"));
            } catch (ModbusFault f) {
                switch (f.kind()) {
                    case EXCEPTION -> out.add(new Result(unit, true, "answers (exception code " + f.exceptionCode() + ")"));
                    case TIMEOUT -> out.add(new Result(unit, false, "timeout"));
                    default -> out.add(new Result(unit, false, f.getMessage()));
                }
            }
        }
        return out;
    }
}
