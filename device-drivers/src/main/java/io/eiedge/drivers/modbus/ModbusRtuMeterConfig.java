package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.MeterConfig;
import io.eiedge.drivers.meter.MeterSettings;

import java.util.Objects;

/**
 * A meter on an RS-485 bus in Modbus RTU. Meters whose {@link SerialBusConfig#device()} is the
 * same share one {@link RtuBus} (their bus configs must then be equal).
 *
 * @param id            meter id on this device
 * @param bus           the bus and its line settings, timeout, retries and gap
 * @param unitId        Modbus unit id on the bus, 1…247
 * @param profile       register map or SunSpec
 * @param failurePolicy back-off and held values
 */
public record ModbusRtuMeterConfig(String id, SerialBusConfig bus, int unitId, ModbusProfile profile,
                                   FailurePolicy failurePolicy) implements MeterConfig {

    public ModbusRtuMeterConfig {
        MeterConfig.requireId(id);
        Objects.requireNonNull(bus, () -> "meter " + id + ": bus");
        MeterSettings.RTU_UNIT_ID.check("meter " + id, unitId);
        Objects.requireNonNull(profile, () -> "meter " + id + ": profile");
        Objects.requireNonNull(failurePolicy, () -> "meter " + id + ": failure policy");
    }
}
