package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.MeterSettings;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One RS-485 bus: the serial device and its line settings, shared by every RTU meter on it.
 *
 * @param device        serial device path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/…
 * @param baud          bits per second (1200…921600)
 * @param dataBits      7 or 8 (Modbus RTU uses 8)
 * @param parity        none, even or odd
 * @param stopBits      1 or 2
 * @param timeout       how long a device may take to answer, on top of the time the frames take on the wire
 * @param retries       further attempts after a timeout or a bad frame (0…5); exception responses are not retried
 * @param interFrameGap minimum silence between two transactions; never shorter than Modbus' 3.5 character times
 */
public record SerialBusConfig(String device, int baud, int dataBits, Parity parity, int stopBits,
                              Duration timeout, int retries, Duration interFrameGap) {

    /** Parity of the serial line. */
    public enum Parity {
        NONE, EVEN, ODD;

        public static Parity parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parity '" + text + "' is not one of none, even, odd");
            }
        }
    }

    public SerialBusConfig {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("serial bus: device is empty (e.g. /dev/ttyUSB0)");
        }
        String owner = "serial bus " + device;
        MeterSettings.BAUD.check(owner, baud);
        if (dataBits != 7 && dataBits != 8) {
            throw new IllegalArgumentException("serial bus " + device + ": data bits " + dataBits + " must be 7 or 8");
        }
        Objects.requireNonNull(parity, "serial bus " + device + ": parity");
        MeterSettings.STOP_BITS.check(owner, stopBits);
        MeterSettings.TIMEOUT.check(owner, timeout);
        MeterSettings.RETRIES.check(owner, retries);
        MeterSettings.INTER_FRAME_GAP.check(owner, interFrameGap);
    }

    /** 9600 8N1 (or the given baud), 500 ms timeout, 1 retry, the minimum gap. */
    public static SerialBusConfig of(String device, int baud) {
        return new SerialBusConfig(device, baud, 8, Parity.NONE, 1, Duration.ofMillis(500), 1, Duration.ZERO);
    }

    /** Bits one character takes on the wire: start, data, parity, stop. */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** Nanoseconds a frame of {@code bytes} takes on the wire at this baud. */
    public long wireNanos(int bytes) {
        return bytes * (long) bitsPerCharacter() * 1_000_000_000L / baud;
    }

    /** The silence kept between transactions: the configured gap, at least 3.5 characters (1.75 ms above 19200 baud). */
    public long gapNanos() {
        long t35 = baud > 19200 ? 1_750_000L : wireNanos(7) / 2;
        return Math.max(t35, interFrameGap.toNanos());
    }

    /** "8N1" style. */
    public String lineSettings() {
        return dataBits + parity.name().substring(0, 1) + stopBits;
    }
}
