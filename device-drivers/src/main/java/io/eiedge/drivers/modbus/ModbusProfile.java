package io.eiedge.drivers.modbus;

/**
 * What a Modbus meter serves: a fixed {@link RegisterMap} or a device that describes itself
 * ({@link io.eiedge.drivers.sunspec.SunSpecProfile}).
 */
public interface ModbusProfile {
    /** Name a technician uses: "sdm630", "sunspec", or a config-defined map's name. */
    String name();
}
