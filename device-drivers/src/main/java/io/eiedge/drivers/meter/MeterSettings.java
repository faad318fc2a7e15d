package io.eiedge.drivers.meter;

import java.time.Duration;
import java.util.Set;

/**
 * Every range-checked meter configuration key, defined once. The drivers' config records check
 * their fields against these, the edge runtime's config loader reads the YAML keys by them (so
 * its errors carry FILE:LINE:COL), and the example config and technician guide quote them: the
 * check, the driver and the documentation cannot disagree.
 */
public final class MeterSettings {
    private MeterSettings() {
    }

    public static final DurationSetting POLL_INTERVAL = new DurationSetting("poll-interval",
            "how often the meter is read", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofHours(1));

    public static final DurationSetting TIMEOUT = new DurationSetting("timeout",
            "how long the meter may take to answer one request (RTU: on top of the frames' wire time)",
            Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofSeconds(10));

    public static final IntSetting RETRIES = new IntSetting("retries",
            "further attempts after a timeout or a broken answer (exception responses are not retried)", 1, 0, 5);

    public static final IntSetting TCP_PORT = new IntSetting("port", "TCP port of the device or gateway", 502, 1, 65535);

    public static final IntSetting TCP_UNIT_ID = new IntSetting("unit-id",
            "Modbus unit id behind a TCP device or gateway (gateways route by it; 255 or 1 for a device answering itself)",
            1, 0, 255);

    public static final IntSetting RTU_UNIT_ID = new IntSetting("unit-id", "Modbus unit id on the RS-485 bus", 1, 1, 247);

    public static final IntSetting BAUD = IntSetting.oneOf("baud", "serial line speed in bits per second", 9600,
            Set.of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600));

    public static final IntSetting STOP_BITS = new IntSetting("stop-bits", "serial stop bits", 1, 1, 2);

    public static final DurationSetting INTER_FRAME_GAP = new DurationSetting("inter-frame-gap",
            "silence kept between two transactions on the bus (never below Modbus' 3.5 characters)",
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));

    public static final IntSetting GPIO_PIN = new IntSetting("gpio-pin",
            "GPIO line of the S0 input (BCM numbering on a Raspberry Pi)", null, 0, 63);

    public static final DurationSetting DEBOUNCE = new DurationSetting("debounce",
            "a pulse counts only after the line was idle this long (S0 pulses and pauses last at least 30 ms)",
            Duration.ofMillis(20), Duration.ZERO, Duration.ofMillis(30));

    public static final IntSetting PULSES_PER_KWH = new IntSetting("pulses-per-kwh",
            "the meter's pulse constant in imp/kWh (printed on its label)", null, 1, 100_000);

    public static final IntSetting PEAK_POWER_W = new IntSetting("peak-power",
            "simulated meters: peak power in W", 5000, 1, 10_000_000);

    public static final IntSetting P1_BAUD = IntSetting.oneOf("baud",
            "P1 port speed (DSMR 4 and 5: 115200 8N1)", 115200, Set.of(9600, 19200, 38400, 57600, 115200));

    public static final DurationSetting TELEGRAM_TIMEOUT = new DurationSetting("timeout",
            "how long a read waits for a pushed telegram (DSMR 5 pushes every 1 s, DSMR 4 every 10 s)",
            Duration.ofSeconds(12), Duration.ofSeconds(1), Duration.ofSeconds(60));
}
