package io.eiedge.drivers.meter;

import java.util.regex.Pattern;

/**
 * The configuration of one meter: an immutable record validated in its constructor. Built into
 * a {@link Meter} by {@code io.eiedge.drivers.MeterFactory}.
 */
public interface MeterConfig {
    /** Meter ids go into MQTT topics and "meterId/OBIS" summary keys: letters, digits, '.', '_' and '-'. */
    Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The meter id on this device, e.g. "grid". */
    String id();

    /** @throws IllegalArgumentException naming the id when it is not a valid meter id */
    static String requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("meter id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
