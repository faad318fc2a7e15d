package io.eiedge.drivers.meter;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * OBIS codes (IEC 62056-61) used by eiedge's drivers, with their plain-language names, and the
 * project's private codes for quantities OBIS lacks. The private codes use the manufacturer-specific
 * range C = 128…199 and are the only invented codes (table in device-drivers/README.md).
 */
public final class Obis {
    private static final Pattern CODE = Pattern.compile("(\\d{1,3})-(\\d{1,3}):(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    // electricity (A = 1)
    public static final String ACTIVE_ENERGY_IMPORT = "1-0:1.8.0";
    public static final String ACTIVE_ENERGY_EXPORT = "1-0:2.8.0";
    public static final String ACTIVE_POWER_IMPORT = "1-0:1.7.0";
    public static final String ACTIVE_POWER_EXPORT = "1-0:2.7.0";
    /** Signed: + import, − export. */
    public static final String ACTIVE_POWER = "1-0:16.7.0";
    public static final String ACTIVE_POWER_L1 = "1-0:36.7.0";
    public static final String ACTIVE_POWER_L2 = "1-0:56.7.0";
    public static final String ACTIVE_POWER_L3 = "1-0:76.7.0";
    public static final String APPARENT_POWER = "1-0:9.7.0";
    public static final String FREQUENCY = "1-0:14.7.0";
    public static final String VOLTAGE_L1 = "1-0:32.7.0";
    public static final String VOLTAGE_L2 = "1-0:52.7.0";
    public static final String VOLTAGE_L3 = "1-0:72.7.0";
    public static final String CURRENT_L1 = "1-0:31.7.0";
    public static final String CURRENT_L2 = "1-0:51.7.0";
    public static final String CURRENT_L3 = "1-0:71.7.0";

    // heat (A = 6)
    public static final String HEAT_ENERGY = "6-0:1.0.0";
    public static final String HEAT_VOLUME = "6-0:2.0.0";
    public static final String HEAT_POWER = "6-0:8.0.0";
    public static final String HEAT_FLOW_TEMPERATURE = "6-0:10.0.0";
    public static final String HEAT_RETURN_TEMPERATURE = "6-0:11.0.0";

    // private codes: the one table of them (README, "Private OBIS codes")
    /** Battery state of charge, %EL. */
    public static final String PRIVATE_BATTERY_STATE_OF_CHARGE = "1-0:128.1.0";
    /** Energy content of an electrical store (battery), Wh. */
    public static final String PRIVATE_STORE_ENERGY_CONTENT = "1-0:128.2.0";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(ACTIVE_ENERGY_IMPORT, "active energy import total"),
            Map.entry(ACTIVE_ENERGY_EXPORT, "active energy export total"),
            Map.entry(ACTIVE_POWER_IMPORT, "active power import"),
            Map.entry(ACTIVE_POWER_EXPORT, "active power export"),
            Map.entry(ACTIVE_POWER, "active power (+import/-export)"),
            Map.entry(ACTIVE_POWER_L1, "active power L1"),
            Map.entry(ACTIVE_POWER_L2, "active power L2"),
            Map.entry(ACTIVE_POWER_L3, "active power L3"),
            Map.entry(APPARENT_POWER, "apparent power"),
            Map.entry(FREQUENCY, "frequency"),
            Map.entry(VOLTAGE_L1, "voltage L1"),
            Map.entry(VOLTAGE_L2, "voltage L2"),
            Map.entry(VOLTAGE_L3, "voltage L3"),
            Map.entry(CURRENT_L1, "current L1"),
            Map.entry(CURRENT_L2, "current L2"),
            Map.entry(CURRENT_L3, "current L3"),
            Map.entry(HEAT_ENERGY, "heat energy"),
            Map.entry(HEAT_VOLUME, "heat carrier volume"),
            Map.entry(HEAT_POWER, "heat power"),
            Map.entry(HEAT_FLOW_TEMPERATURE, "flow temperature"),
            Map.entry(HEAT_RETURN_TEMPERATURE, "return temperature"),
            Map.entry(PRIVATE_BATTERY_STATE_OF_CHARGE, "battery state of charge (private code)"),
            Map.entry(PRIVATE_STORE_ENERGY_CONTENT, "stored energy content (private code)"));

    private Obis() {
    }

    /** True for well-formed code text "A-B:C.D.E" with each group 0…255. */
    public static boolean isValid(String code) {
        if (code == null) {
            return false;
        }
        var m = CODE.matcher(code);
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g <= 5; g++) {
            if (Integer.parseInt(m.group(g)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** @throws IllegalArgumentException naming the code when it is not "A-B:C.D.E" with groups 0…255 */
    public static String requireValid(String code) {
        if (!isValid(code)) {
            throw new IllegalArgumentException("OBIS code '" + code + "' is not of the form A-B:C.D.E with each group 0..255");
        }
        return code;
    }

    /** The plain-language name of a code, or the code itself when eiedge has no name for it. */
    public static String name(String code) {
        return NAMES.getOrDefault(code, code);
    }

    /**
     * True for cumulative registers (energy, volume) that must never be negative and never go
     * backwards: OBIS value group D = 8 (time integral) for electricity, C = 1 or 2 with D = 0 for heat.
     */
    public static boolean isCumulative(String code) {
        var m = CODE.matcher(code);
        if (!m.matches()) {
            return false;
        }
        int a = Integer.parseInt(m.group(1));
        int c = Integer.parseInt(m.group(3));
        int d = Integer.parseInt(m.group(4));
        if (a == 1) {
            return d == 8;
        }
        if (a >= 4 && a <= 9) {
            return (c == 1 || c == 2) && d == 0;
        }
        return false;
    }
}
