package io.eiedge.runtime.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the unit-carrying scalars of the file: durations ({@code 500ms}), sizes ({@code 64MiB}), power ({@code 5kW}). */
final class Quantities {
    private static final Pattern NUMBER_UNIT = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z%]+)$");

    private static final Map<String, Double> DURATION_NANOS = Map.of(
            "us", 1e3, "ms", 1e6, "s", 1e9, "m", 60e9, "h", 3600e9, "d", 86400e9);
    // kB/MB/GB are decimal, KiB/MiB/GiB binary, as on the label of an SD card and in df -h
    private static final Map<String, Double> SIZE_BYTES = Map.of(
            "B", 1d, "kB", 1e3, "KB", 1e3, "MB", 1e6, "GB", 1e9,
            "KiB", 1024d, "MiB", 1024d * 1024, "GiB", 1024d * 1024 * 1024);
    private static final Map<String, Double> POWER_WATTS = Map.of("W", 1d, "kW", 1e3, "MW", 1e6);

    private Quantities() {
    }

    static Optional<Duration> duration(String text) {
        return scaled(text, DURATION_NANOS).map(n -> Duration.ofNanos(Math.round(n)));
    }

    static Optional<Long> bytes(String text) {
        return scaled(text, SIZE_BYTES).map(Math::round);
    }

    static Optional<Double> watts(String text) {
        return scaled(text, POWER_WATTS);
    }

    private static Optional<Double> scaled(String text, Map<String, Double> units) {
        Matcher m = NUMBER_UNIT.matcher(text.trim());
        if (!m.matches()) return Optional.empty();
        Double factor = units.get(m.group(2));
        if (factor == null) return Optional.empty();
        return Optional.of(Double.parseDouble(m.group(1)) * factor);
    }

    /** Human form of a duration, the way the file spells it: 1s, 500ms, 5m, 30d. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (d.toNanos() % 1_000_000 != 0) return (d.toNanos() / 1000) + "us";
        if (ms == 0) return "0s";
        if (ms % 86_400_000 == 0) return (ms / 86_400_000) + "d";
        if (ms % 3_600_000 == 0) return (ms / 3_600_000) + "h";
        if (ms % 60_000 == 0) return (ms / 60_000) + "m";
        if (ms % 1000 == 0) return (ms / 1000) + "s";
        return ms + "ms";
    }

    /** Human form of a size in bytes, binary units. */
    static String formatBytes(long b) {
        if (b >= 1L << 30 && b % (1L << 30) == 0) return (b >> 30) + " GiB";
        if (b >= 1L << 20 && b % (1L << 20) == 0) return (b >> 20) + " MiB";
        if (b >= 1L << 10 && b % (1L << 10) == 0) return (b >> 10) + " KiB";
        if (b >= 1_000_000_000 && b % 1_000_000_000 == 0) return (b / 1_000_000_000) + " GB";
        if (b >= 1_000_000 && b % 1_000_000 == 0) return (b / 1_000_000) + " MB";
        return b + " B";
    }
}
