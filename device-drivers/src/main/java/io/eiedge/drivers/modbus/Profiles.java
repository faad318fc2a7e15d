package io.eiedge.drivers.modbus;

import io.eiedge.drivers.sunspec.SunSpecProfile;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;


/**
 * Lookup of meter profiles by the name a technician types: the device-profile library
 * ({@link ProfileLibrary}, one resource file per model), {@code sunspec}, or a config-defined map.
 */
public final class Profiles {

    /** The library shipped in this jar: immutable data, parsed once. */
    public static final ProfileLibrary LIBRARY = ProfileLibrary.builtIn();

    /** Eastron SDM120 single-phase meter (input registers, float32 ABCD). */
    public static final RegisterMap SDM120 = LIBRARY.get("sdm120").map();

    /** Eastron SDM630 three-phase meter (input registers, float32 ABCD). */
    public static final RegisterMap SDM630 = LIBRARY.get("sdm630").map();

    private Profiles() {
    }

    /** Names of the built-in profiles: the library's and {@code sunspec}. */
    public static java.util.Set<String> builtInNames() {
        java.util.Set<String> names = new java.util.TreeSet<>(LIBRARY.names());
        names.add(SunSpecProfile.DEFAULT.name());
        return names;
    }

    /**
     * The profile called {@code name}: a built-in one or one of {@code configMaps} (a config map
     * may not shadow a built-in name).
     */
    public static ModbusProfile byName(String name, Map<String, RegisterMap> configMaps) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals(SunSpecProfile.DEFAULT.name())) {
            return SunSpecProfile.DEFAULT;
        }
        if (LIBRARY.names().contains(key)) {
            return LIBRARY.get(key).map();
        }
        for (RegisterMap m : configMaps.values()) {
            if (m.name().equalsIgnoreCase(key)) {
                return m;
            }
        }
        Map<String, Object> known = new TreeMap<>();
        builtInNames().forEach(n -> known.put(n, n));
        configMaps.values().forEach(m -> known.put(m.name(), m));
        throw new IllegalArgumentException("meter profile '" + name + "' is unknown; known profiles: "
                + String.join(", ", known.keySet()) + " (eiedge meters profiles lists them)");
    }
}
