package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.MeterConfig;
import io.eiedge.drivers.meter.MeterSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * A meter reached over Modbus TCP (directly or through a TCP-to-RS-485 gateway; meters at the
 * same host and port share one connection).
 *
 * @param id            meter id on this device
 * @param host          host name or address of the device or gateway
 * @param port          TCP port, usually 502
 * @param unitId        Modbus unit id, 0…255 (gateways route by it; 255 or 1 for a device answering itself)
 * @param profile       register map or SunSpec
 * @param timeout       answer timeout per transaction (10 ms…10 s)
 * @param retries       further attempts after a timeout or broken frame (0…5)
 * @param failurePolicy back-off and held values
 */
public record ModbusTcpMeterConfig(String id, String host, int port, int unitId, ModbusProfile profile,
                                   Duration timeout, int retries, FailurePolicy failurePolicy) implements MeterConfig {

    public ModbusTcpMeterConfig {
        MeterConfig.requireId(id);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("meter " + id + ": modbus tcp host is empty");
        }
        String owner = "meter " + id;
        MeterSettings.TCP_PORT.check(owner, port);
        MeterSettings.TCP_UNIT_ID.check(owner, unitId);
        Objects.requireNonNull(profile, () -> owner + ": profile");
        MeterSettings.TIMEOUT.check(owner, timeout);
        MeterSettings.RETRIES.check(owner, retries);
        Objects.requireNonNull(failurePolicy, () -> "meter " + id + ": failure policy");
    }

    /** The default timeout and retries of {@link MeterSettings}, default failure policy. */
    public static ModbusTcpMeterConfig of(String id, String host, int port, int unitId, ModbusProfile profile) {
        return new ModbusTcpMeterConfig(id, host, port, unitId, profile, MeterSettings.TIMEOUT.defaultValue(),
                MeterSettings.RETRIES.defaultValue(), FailurePolicy.DEFAULT);
    }
}
