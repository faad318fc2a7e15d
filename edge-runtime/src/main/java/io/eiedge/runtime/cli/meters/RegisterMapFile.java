package io.eiedge.runtime.cli.meters;

import io.eiedge.drivers.modbus.DataType;
import io.eiedge.drivers.modbus.RegisterMap;
import io.eiedge.drivers.modbus.RegisterSpec;
import io.eiedge.drivers.modbus.RegisterType;
import io.eiedge.drivers.modbus.WordOrder;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A technician-written register map in YAML, for {@code eiedge meters read --map FILE}:
 * <pre>
 * name: heatpump-meter
 * max-gap: 0            # optional: merge reads across holes of up to this many registers
 * registers:
 *   - obis: 1-0:1.8.0
 *     type: input        # input (function 4) or holding (function 3)
 *     address: 0x48      # 0-based
 *     data: float32      # int16 uint16 int32 uint32 float32 int64
 *     order: ABCD        # ABCD CDAB BADC DCBA (optional, ABCD)
 *     scaler: 3          # value x 10^scaler (optional, 0): kWh -> Wh is 3
 *     unit: Wh
 * </pre>
 */
public final class RegisterMapFile {

    private RegisterMapFile() {
    }

    public static RegisterMap load(Path file) throws IOException {
        Object root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Files.readString(file));
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(file + ": expected a map with 'name' and 'registers'");
        }
        Object name = top.get("name");
        if (!(name instanceof String n)) {
            throw new IllegalArgumentException(file + ": 'name' is missing or not text");
        }
        if (!(top.get("registers") instanceof List<?> list)) {
            throw new IllegalArgumentException(file + ": 'registers' is missing or not a list");
        }
        List<RegisterSpec> specs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = file + ": registers[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> r)) {
                throw new IllegalArgumentException(where + ": expected a map");
            }
            try {
                specs.add(new RegisterSpec(
                        text(r, "obis", where, null),
                        RegisterType.parse(text(r, "type", where, null)),
                        number(r, "address", where, null),
                        DataType.parse(text(r, "data", where, null)),
                        WordOrder.parse(text(r, "order", where, "ABCD")),
                        number(r, "scaler", where, 0),
                        text(r, "unit", where, null)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(file.toString()) ? e.getMessage() : where + ": " + e.getMessage(), e);
            }
        }
        int maxGap = top.get("max-gap") == null ? 0 : number(top, "max-gap", file.toString(), 0);
        return new RegisterMap(n, specs, maxGap, 125);
    }

    private static String text(Map<?, ?> m, String key, String where, String dflt) {
        Object v = m.get(key);
        if (v == null) {
            if (dflt != null) {
                return dflt;
            }
            throw new IllegalArgumentException(where + ": '" + key + "' is missing");
        }
        return v.toString();
    }

    private static int number(Map<?, ?> m, String key, String where, Integer dflt) {
        Object v = m.get(key);
        if (v == null && dflt != null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String t) {
            try {
                return Integer.decode(t.trim()); // 0x48 as well as 72
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be a number, got " + v);
    }
}
