package io.eiedge.drivers.s0;

import io.eiedge.drivers.meter.MeterConfig;
import io.eiedge.drivers.meter.MeterSettings;
import io.eiedge.drivers.meter.Obis;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * An S0 pulse output (DIN 43864) wired to a GPIO line.
 *
 * @param id           meter id on this device
 * @param gpio         GPIO line number on the chip (BCM numbering on a Raspberry Pi), 0…63
 * @param pull         the line's pull resistor: S0 outputs are open collectors, so usually {@code UP}
 * @param edge         the edge that starts a pulse: {@code FALLING} when the meter pulls a pulled-up line low
 * @param debounce     a pulse counts only after the line was idle this long ({@link MeterSettings#DEBOUNCE})
 * @param pulsesPerKwh the meter's constant, imp/kWh (1…100000)
 * @param energyObis   OBIS code of the energy register, usually 1-0:1.8.0 (import) or 1-0:2.8.0
 * @param powerObis    OBIS code for the power derived from pulse intervals, or null for none
 */
public record S0MeterConfig(String id, int gpio, Pull pull, Edge edge, Duration debounce, int pulsesPerKwh,
                            String energyObis, String powerObis) implements MeterConfig {

    public enum Pull {
        UP, DOWN, OFF;

        public static Pull parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pull '" + s + "' is not one of up, down, off");
            }
        }
    }

    public enum Edge {
        FALLING, RISING;

        public static Edge parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("edge '" + s + "' is not one of falling, rising");
            }
        }
    }

    public S0MeterConfig {
        MeterConfig.requireId(id);
        String owner = "meter " + id;
        MeterSettings.GPIO_PIN.check(owner, gpio);
        Objects.requireNonNull(pull, () -> "meter " + id + ": pull");
        Objects.requireNonNull(edge, () -> "meter " + id + ": edge");
        MeterSettings.DEBOUNCE.check(owner, debounce);
        MeterSettings.PULSES_PER_KWH.check(owner, pulsesPerKwh);
        Obis.requireValid(energyObis);
        if (!Obis.isCumulative(energyObis)) {
            throw new IllegalArgumentException("meter " + id + ": energy OBIS code " + energyObis + " is not an energy register (x-x:x.8.x)");
        }
        if (powerObis != null) {
            Obis.requireValid(powerObis);
        }
    }

    /** Pull-up, falling edge, the default debounce of {@link MeterSettings#DEBOUNCE}, import energy and power. */
    public static S0MeterConfig of(String id, int gpio, int pulsesPerKwh) {
        return new S0MeterConfig(id, gpio, Pull.UP, Edge.FALLING, MeterSettings.DEBOUNCE.defaultValue(), pulsesPerKwh,
                Obis.ACTIVE_ENERGY_IMPORT, Obis.ACTIVE_POWER_IMPORT);
    }
}
