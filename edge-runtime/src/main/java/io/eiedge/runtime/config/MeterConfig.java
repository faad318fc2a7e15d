package io.eiedge.runtime.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One meter wired to this device, read on its own schedule.
 *
 * @param id           meter id inside the device, e.g. {@code grid}, {@code pv}; goes into every reading
 * @param pollInterval how often it is read (default 1 s)
 * @param connection   how it is reached and decoded; the sub-type says which {@link Type} it is
 */
public record MeterConfig(String id, Duration pollInterval, MeterConnection connection) {

    public static final Duration DEFAULT_POLL_INTERVAL = io.eiedge.drivers.meter.MeterSettings.POLL_INTERVAL.defaultValue();

    public MeterConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(connection, "connection");
    }

    public Type type() {
        return connection.type();
    }

    /** Meter kinds, as spelled in the {@code type} key. */
    public enum Type implements ConfigName {
        MODBUS_TCP("modbus-tcp"), MODBUS_RTU("modbus-rtu"), SUNSPEC("sunspec"), S0("s0"), SIMULATED("simulated"), P1("p1");

        private final String name;

        Type(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }
}
