package io.eiedge.drivers.meter;

import java.time.Duration;
import java.util.Objects;

/**
 * One duration-valued meter configuration key, defined once: the config loader reads and checks
 * it by this definition (with FILE:LINE:COL), the driver's config record checks it again by the
 * same definition, so a value that passes {@code eiedge config check} never stops {@code eiedge run}.
 *
 * @param key          the YAML key, e.g. {@code timeout}
 * @param doc          what it means, in a technician's words
 * @param defaultValue used when the key is absent; {@code null} when the key is required or has no default
 * @param min          smallest accepted value
 * @param max          largest accepted value
 */
public record DurationSetting(String key, String doc, Duration defaultValue, Duration min, Duration max) {

    public DurationSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (max.compareTo(min) < 0) throw new IllegalArgumentException(key + ": max below min");
        if (defaultValue != null && !accepts(defaultValue, min, max)) {
            throw new IllegalArgumentException(key + ": default " + defaultValue + " outside its own range");
        }
    }

    public boolean accepts(Duration value) {
        return accepts(value, min, max);
    }

    private static boolean accepts(Duration v, Duration min, Duration max) {
        return v != null && v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
    }

    /**
     * @param owner who the value belongs to, e.g. "meter grid"
     * @return {@code value} when it is in range
     * @throws IllegalArgumentException naming the owner, the key, the value and the range
     */
    public Duration check(String owner, Duration value) {
        if (!accepts(value)) {
            throw new IllegalArgumentException(owner + ": " + key + " " + (value == null ? "(none)" : format(value))
                    + " is outside " + range());
        }
        return value;
    }

    /** "10ms…10s". */
    public String range() {
        return format(min) + "…" + format(max);
    }

    /** The way the config file spells a duration: 500ms, 1s, 5m, 250us. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) return "0s";
        if (nanos % 1_000_000 != 0) return (nanos / 1000) + "us";
        long ms = nanos / 1_000_000;
        if (ms % 3_600_000 == 0) return (ms / 3_600_000) + "h";
        if (ms % 60_000 == 0) return (ms / 60_000) + "m";
        if (ms % 1000 == 0) return (ms / 1000) + "s";
        return ms + "ms";
    }
}
