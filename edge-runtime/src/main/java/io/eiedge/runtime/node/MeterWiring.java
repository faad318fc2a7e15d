package io.eiedge.runtime.node;

import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.modbus.DataType;
import io.eiedge.drivers.modbus.ModbusProfile;
import io.eiedge.drivers.modbus.ModbusRtuMeterConfig;
import io.eiedge.drivers.modbus.ModbusTcpMeterConfig;
import io.eiedge.drivers.modbus.Profiles;
import io.eiedge.drivers.modbus.RegisterMap;
import io.eiedge.drivers.modbus.RegisterSpec;
import io.eiedge.drivers.modbus.RegisterType;
import io.eiedge.drivers.modbus.SerialBusConfig;
import io.eiedge.drivers.modbus.WordOrder;
import io.eiedge.drivers.s0.S0MeterConfig;
import io.eiedge.drivers.sim.SimulatedMeterConfig;
import io.eiedge.drivers.sunspec.SunSpecProfile;
import io.eiedge.runtime.config.MeterConfig;
import io.eiedge.runtime.config.MeterConnection;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Turns the configuration's meter entries into the drivers' own meter configurations. */
public final class MeterWiring {
    private MeterWiring() {
    }

    static io.eiedge.drivers.meter.MeterConfig toDriver(MeterConfig meter) {
        return toDriver(meter, FailurePolicy.DEFAULT);
    }

    /** With {@code failures} instead of the daemon's back-off, e.g. one plain attempt for a wiring check. */
    public static io.eiedge.drivers.meter.MeterConfig toDriver(MeterConfig meter, FailurePolicy failures) {
        String id = meter.id();
        return switch (meter.connection()) {
            case MeterConnection.ModbusTcp c -> new ModbusTcpMeterConfig(id, c.host(), c.port(), c.unitId(),
                    profile(id, c.registers()), c.timeout(), c.retries(), failures);
            case MeterConnection.SunSpec c -> new ModbusTcpMeterConfig(id, c.host(), c.port(), c.unitId(),
                    SunSpecProfile.DEFAULT, c.timeout(), c.retries(), failures);
            case MeterConnection.ModbusRtu c -> new ModbusRtuMeterConfig(id,
                    new SerialBusConfig(c.device().toString(), c.baud(), 8, SerialBusConfig.Parity.valueOf(c.parity().name()),
                            c.stopBits(), c.timeout(), c.retries(), c.interFrameGap().orElse(Duration.ZERO)),
                    c.unitId(), profile(id, c.registers()), failures);
            case MeterConnection.S0 c -> new S0MeterConfig(id, c.gpioPin(),
                    c.pull() == MeterConnection.Pull.NONE ? S0MeterConfig.Pull.OFF : S0MeterConfig.Pull.valueOf(c.pull().name()),
                    S0MeterConfig.Edge.valueOf(c.edge().name()), c.debounce(), c.pulsesPerKwh(), "1-0:1.8.0", "1-0:1.7.0");
            case MeterConnection.P1 c -> new io.eiedge.drivers.p1.P1MeterConfig(id, c.device().toString(), c.baud(), c.timeout());
            case MeterConnection.Simulated c -> {
                var kind = SimulatedMeterConfig.Kind.valueOf(c.kind().name());
                long peak = Math.max(1, Math.round(c.peakPowerWatts()));
                yield new SimulatedMeterConfig(id, kind, c.seed(), peak, kind == SimulatedMeterConfig.Kind.BATTERY ? peak * 2 : 0,
                        50, meter.pollInterval().compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : meter.pollInterval(),
                        ZoneOffset.UTC, null);
            }
        };
    }

    private static ModbusProfile profile(String meterId, MeterConnection.RegisterSource source) {
        return switch (source) {
            case MeterConnection.RegisterSource.Profile p -> Profiles.byName(p.name(), Map.of());
            case MeterConnection.RegisterSource.Inline inline -> {
                List<RegisterSpec> specs = inline.registers().stream().map(r -> new RegisterSpec(r.obis(),
                        RegisterType.valueOf(r.registerType().name()), r.address(), DataType.valueOf(r.dataType().name()),
                        WordOrder.valueOf(r.wordOrder().name()), r.scaler(), r.unit())).toList();
                yield new RegisterMap(meterId, specs);
            }
        };
    }
}
