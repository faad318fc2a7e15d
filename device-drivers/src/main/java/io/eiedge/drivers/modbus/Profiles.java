package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.sunspec.SunSpecProfile;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static io.eiedge.drivers.modbus.DataType.FLOAT32;
import static io.eiedge.drivers.modbus.RegisterType.INPUT;

/**
 * Built-in meter profiles, and lookup by the name a technician types. Eastron SDM meters keep
 * every quantity as a big-endian float32 in input registers (function 4); energies are in kWh.
 */
public final class Profiles {

    /** Eastron SDM120 single-phase meter (input registers, float32 ABCD). */
    public static final RegisterMap SDM120 = new RegisterMap("sdm120", List.of(
            RegisterSpec.of(Obis.VOLTAGE_L1, INPUT, 0x0000, FLOAT32, 0, "V"),
            RegisterSpec.of(Obis.CURRENT_L1, INPUT, 0x0006, FLOAT32, 0, "A"),
            RegisterSpec.of(Obis.ACTIVE_POWER, INPUT, 0x000C, FLOAT32, 0, "W"),
            RegisterSpec.of(Obis.APPARENT_POWER, INPUT, 0x0012, FLOAT32, 0, "VA"),
            RegisterSpec.of(Obis.FREQUENCY, INPUT, 0x0046, FLOAT32, 0, "Hz"),
            RegisterSpec.of(Obis.ACTIVE_ENERGY_IMPORT, INPUT, 0x0048, FLOAT32, 3, "Wh"),
            RegisterSpec.of(Obis.ACTIVE_ENERGY_EXPORT, INPUT, 0x004A, FLOAT32, 3, "Wh")),
            // SDM meters answer reads across unused registers; at most 40 parameters (80 registers) a request
            64, 80);

    /** Eastron SDM630 three-phase meter (input registers, float32 ABCD). */
    public static final RegisterMap SDM630 = new RegisterMap("sdm630", List.of(
            RegisterSpec.of(Obis.VOLTAGE_L1, INPUT, 0x0000, FLOAT32, 0, "V"),
            RegisterSpec.of(Obis.VOLTAGE_L2, INPUT, 0x0002, FLOAT32, 0, "V"),
            RegisterSpec.of(Obis.VOLTAGE_L3, INPUT, 0x0004, FLOAT32, 0, "V"),
            RegisterSpec.of(Obis.CURRENT_L1, INPUT, 0x0006, FLOAT32, 0, "A"),
            RegisterSpec.of(Obis.CURRENT_L2, INPUT, 0x0008, FLOAT32, 0, "A"),
            RegisterSpec.of(Obis.CURRENT_L3, INPUT, 0x000A, FLOAT32, 0, "A"),
            RegisterSpec.of(Obis.ACTIVE_POWER_L1, INPUT, 0x000C, FLOAT32, 0, "W"),
            RegisterSpec.of(Obis.ACTIVE_POWER_L2, INPUT, 0x000E, FLOAT32, 0, "W"),
            RegisterSpec.of(Obis.ACTIVE_POWER_L3, INPUT, 0x0010, FLOAT32, 0, "W"),
            RegisterSpec.of(Obis.ACTIVE_POWER, INPUT, 0x0034, FLOAT32, 0, "W"),
            RegisterSpec.of(Obis.APPARENT_POWER, INPUT, 0x0038, FLOAT32, 0, "VA"),
            RegisterSpec.of(Obis.FREQUENCY, INPUT, 0x0046, FLOAT32, 0, "Hz"),
            RegisterSpec.of(Obis.ACTIVE_ENERGY_IMPORT, INPUT, 0x0048, FLOAT32, 3, "Wh"),
            RegisterSpec.of(Obis.ACTIVE_ENERGY_EXPORT, INPUT, 0x004A, FLOAT32, 3, "Wh")),
            64, 80);

    private static final Map<String, ModbusProfile> BUILT_IN = Map.of(
            "sdm120", SDM120, "sdm630", SDM630, "sunspec", SunSpecProfile.DEFAULT);

    private Profiles() {
    }

    /** Names of the built-in profiles. */
    public static java.util.Set<String> builtInNames() {
        return new java.util.TreeSet<>(BUILT_IN.keySet());
    }

    /**
     * The profile called {@code name}: a built-in one or one of {@code configMaps} (config-defined
     * maps win over nothing: a config map may not shadow a built-in name).
     */
    public static ModbusProfile byName(String name, Map<String, RegisterMap> configMaps) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        ModbusProfile p = BUILT_IN.get(key);
        if (p != null) {
            return p;
        }
        for (RegisterMap m : configMaps.values()) {
            if (m.name().equalsIgnoreCase(key)) {
                return m;
            }
        }
        Map<String, Object> known = new TreeMap<>(BUILT_IN);
        configMaps.values().forEach(m -> known.put(m.name(), m));
        throw new IllegalArgumentException("meter profile '" + name + "' is unknown; known profiles: " + known.keySet());
    }
}
