package io.eiedge.drivers.p1;

import io.eiedge.drivers.meter.MeterConfig;
import io.eiedge.drivers.meter.MeterSettings;

import java.time.Duration;

/**
 * A DSMR P1 customer port (Dutch, Belgian, Luxembourg smart meters; DSMR 4 and 5): the meter
 * pushes a telegram every second (DSMR 5) or ten seconds (DSMR 4) at 115200 8N1 once its RTS
 * (request) line is powered; eiedge only listens.
 *
 * @param id      meter id on this device
 * @param device  serial device of the P1 cable, e.g. /dev/ttyUSB0
 * @param baud    {@link MeterSettings#P1_BAUD}
 * @param timeout {@link MeterSettings#TELEGRAM_TIMEOUT}: how long a read waits for a telegram
 */
public record P1MeterConfig(String id, String device, int baud, Duration timeout) implements MeterConfig {
    public P1MeterConfig {
        MeterConfig.requireId(id);
        String owner = "meter " + id;
        if (device == null || device.isBlank()) throw new IllegalArgumentException(owner + ": device is empty");
        MeterSettings.P1_BAUD.check(owner, baud);
        MeterSettings.TELEGRAM_TIMEOUT.check(owner, timeout);
    }

    /** 115200 baud, the default telegram timeout. */
    public static P1MeterConfig of(String id, String device) {
        return new P1MeterConfig(id, device, MeterSettings.P1_BAUD.defaultValue(), MeterSettings.TELEGRAM_TIMEOUT.defaultValue());
    }
}
