package io.eiedge.drivers.meter;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One integer-valued meter configuration key, defined once for the config loader and the driver
 * (see {@link DurationSetting}).
 *
 * @param key          the YAML key, e.g. {@code retries}
 * @param doc          what it means
 * @param defaultValue used when the key is absent; {@code null} when the key is required
 * @param min          smallest accepted value
 * @param max          largest accepted value
 * @param only         when not empty, the only values accepted (e.g. standard baud rates)
 */
public record IntSetting(String key, String doc, Integer defaultValue, int min, int max, SortedSet<Integer> only) {

    public IntSetting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(doc, "doc");
        only = new TreeSet<>(only);
        if (max < min) throw new IllegalArgumentException(key + ": max below min");
        if (defaultValue != null && !accepts(defaultValue, min, max, only)) {
            throw new IllegalArgumentException(key + ": default " + defaultValue + " outside its own range");
        }
    }

    public IntSetting(String key, String doc, Integer defaultValue, int min, int max) {
        this(key, doc, defaultValue, min, max, new TreeSet<>());
    }

    /** A setting that takes only the listed values. */
    public static IntSetting oneOf(String key, String doc, Integer defaultValue, Set<Integer> values) {
        TreeSet<Integer> sorted = new TreeSet<>(values);
        return new IntSetting(key, doc, defaultValue, sorted.first(), sorted.last(), sorted);
    }

    public boolean accepts(long value) {
        return accepts(value, min, max, only);
    }

    private static boolean accepts(long v, int min, int max, Set<Integer> only) {
        return v >= min && v <= max && (only.isEmpty() || only.contains((int) v));
    }

    /** @throws IllegalArgumentException naming the owner, the key, the value and the range */
    public int check(String owner, int value) {
        if (!accepts(value)) {
            throw new IllegalArgumentException(owner + ": " + key + " " + value + " is outside " + range());
        }
        return value;
    }

    /** "0…5", or "one of 1200, 2400, …". */
    public String range() {
        if (!only.isEmpty()) {
            return "one of " + String.join(", ", only.stream().map(String::valueOf).toList());
        }
        return min + "…" + max;
    }
}
