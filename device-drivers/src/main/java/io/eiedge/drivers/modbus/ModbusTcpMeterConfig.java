package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.MeterConfig;

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
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("meter " + id + ": modbus tcp port " + port + " is outside 1..65535");
        }
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("meter " + id + ": unit id " + unitId + " is outside 0..255");
        }
        Objects.requireNonNull(profile, () -> "meter " + id + ": profile");
        if (timeout == null || timeout.toMillis() < 10 || timeout.toMillis() > 10_000) {
            throw new IllegalArgumentException("meter " + id + ": timeout " + timeout + " must be 10 ms…10 s");
        }
        if (retries < 0 || retries > 5) {
            throw new IllegalArgumentException("meter " + id + ": retries " + retries + " must be 0…5");
        }
        Objects.requireNonNull(failurePolicy, () -> "meter " + id + ": failure policy");
    }

    /** 1 s timeout, 1 retry, default failure policy. */
    public static ModbusTcpMeterConfig of(String id, String host, int port, int unitId, ModbusProfile profile) {
        return new ModbusTcpMeterConfig(id, host, port, unitId, profile, Duration.ofSeconds(1), 1, FailurePolicy.DEFAULT);
    }
}
