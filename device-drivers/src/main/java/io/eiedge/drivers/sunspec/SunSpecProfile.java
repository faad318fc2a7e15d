package io.eiedge.drivers.sunspec;

import io.eiedge.drivers.modbus.ModbusProfile;

/**
 * A device that describes itself by SunSpec: eiedge finds the "SunS" marker, walks the model
 * chain and reads the first model it supports (meters 201–204, inverters 101–103).
 */
public record SunSpecProfile() implements ModbusProfile {
    public static final SunSpecProfile DEFAULT = new SunSpecProfile();

    @Override
    public String name() {
        return "sunspec";
    }
}
