package io.eiedge.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The type-specific part of a {@link MeterConfig}: one record per {@link MeterConfig.Type}. */
public sealed interface MeterConnection {

    MeterConfig.Type type();

    /** Modbus over TCP (port 502 by default) with a named profile or an inline register map. */
    record ModbusTcp(String host, int port, int unitId, RegisterSource registers, Duration timeout, int retries)
            implements MeterConnection {
        public ModbusTcp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(registers, "registers");
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public MeterConfig.Type type() {
            return MeterConfig.Type.MODBUS_TCP;
        }
    }

    /** Modbus RTU on a serial line (RS-485 adapter). */
    record ModbusRtu(Path device, int baud, Parity parity, int stopBits, Optional<Duration> interFrameGap,
                     int unitId, RegisterSource registers, Duration timeout, int retries) implements MeterConnection {
        public ModbusRtu {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(parity, "parity");
            Objects.requireNonNull(interFrameGap, "interFrameGap");
            Objects.requireNonNull(registers, "registers");
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public MeterConfig.Type type() {
            return MeterConfig.Type.MODBUS_RTU;
        }
    }

    /** A SunSpec device over Modbus TCP; the models are discovered from the SunSpec map. */
    record SunSpec(String host, int port, int unitId, Duration timeout, int retries) implements MeterConnection {
        public SunSpec {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public MeterConfig.Type type() {
            return MeterConfig.Type.SUNSPEC;
        }
    }

    /** An S0 pulse output on a GPIO pin (BCM numbering); energy = pulses / pulsesPerKwh. */
    record S0(int gpioPin, Pull pull, Edge edge, Duration debounce, int pulsesPerKwh) implements MeterConnection {
        public S0 {
            Objects.requireNonNull(pull, "pull");
            Objects.requireNonNull(edge, "edge");
            Objects.requireNonNull(debounce, "debounce");
        }

        @Override
        public MeterConfig.Type type() {
            return MeterConfig.Type.S0;
        }
    }

    /** A DSMR P1 customer port (DSMR 4/5 smart meter); the meter pushes telegrams, eiedge listens. */
    record P1(Path device, int baud, Duration timeout) implements MeterConnection {
        public P1 {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public MeterConfig.Type type() {
            return MeterConfig.Type.P1;
        }
    }

    /** A simulated meter; readings carry the "simulated" quality bit. Same seed, same curve. */
    record Simulated(SimKind kind, long seed, double peakPowerWatts) implements MeterConnection {
        public Simulated {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public MeterConfig.Type type() {
            return MeterConfig.Type.SIMULATED;
        }
    }

    /** Either a profile known to the drivers (e.g. {@code sdm630}) or an inline register map. */
    sealed interface RegisterSource {
        record Profile(String name) implements RegisterSource {
            public Profile {
                Objects.requireNonNull(name, "name");
            }
        }

        record Inline(List<RegisterSpec> registers) implements RegisterSource {
            public Inline {
                registers = List.copyOf(registers);
            }
        }
    }

    /**
     * One quantity in a Modbus register map: where it is, how it is encoded, and what it means.
     * The reading's value is {@code raw × 10^scaler} in {@code unit}.
     */
    record RegisterSpec(int address, RegisterType registerType, DataType dataType, WordOrder wordOrder,
                        int scaler, String obis, String unit) {
        public RegisterSpec {
            Objects.requireNonNull(registerType, "registerType");
            Objects.requireNonNull(dataType, "dataType");
            Objects.requireNonNull(wordOrder, "wordOrder");
            Objects.requireNonNull(obis, "obis");
            Objects.requireNonNull(unit, "unit");
        }
    }

    enum RegisterType implements ConfigName {
        HOLDING, INPUT;

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Register data types; the number is how many 16-bit registers each takes. */
    enum DataType implements ConfigName {
        INT16(1), UINT16(1), INT32(2), UINT32(2), FLOAT32(2), INT64(4);

        private final int registers;

        DataType(int registers) {
            this.registers = registers;
        }

        public int registers() {
            return registers;
        }

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Byte/word order of multi-register values, A being the most significant byte. */
    enum WordOrder implements ConfigName {
        ABCD, CDAB, BADC, DCBA;

        @Override
        public String configName() {
            return name();
        }
    }

    enum Parity implements ConfigName {
        NONE, EVEN, ODD;

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum Pull implements ConfigName {
        UP, DOWN, NONE;

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum Edge implements ConfigName {
        FALLING, RISING;

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum SimKind implements ConfigName {
        PV, LOAD, BATTERY, HEAT;

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
