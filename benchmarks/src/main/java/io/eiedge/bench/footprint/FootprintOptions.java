package io.eiedge.bench.footprint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one footprint run measures, from its command line.
 *
 * @param meters       simulated meters, each polled at 1 Hz
 * @param warmup       after the daemon says it runs, before the window (the JIT settles)
 * @param window       the CPU/memory/storage window, and again the strace window after it
 * @param syncInterval {@code ledger.sync-interval} as typed; empty: the key is left out of the config
 * @param coap         CoAP server on (the daemon's default) or off ({@code coap.enabled: false})
 * @param web          {@code web.listen} on a loopback port or empty; empty Optional: the key is left out
 * @param dataParent   where the daemon's data folder is made (a real disk: tmpfs does not count writes)
 * @param keep         keep the run's folder (config, identity, chain, daemon log) afterwards
 */
record FootprintOptions(int meters, Duration warmup, Duration window, Optional<String> syncInterval, boolean coap,
                        Optional<Boolean> web, Path dataParent, boolean keep) {

    static final String USAGE = "FootprintBench [--meters N] [--warmup 90s] [--window 60s] [--sync-interval 1s] "
            + "[--coap on|off] [--web on|off] [--dir /var/tmp] [--keep]";

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

    static FootprintOptions parse(String... args) {
        int meters = 4;
        Duration warmup = Duration.ofSeconds(90);
        Duration window = Duration.ofSeconds(60);
        Optional<String> sync = Optional.empty();
        boolean coap = true;
        Optional<Boolean> web = Optional.empty();
        Path dir = Path.of("/var/tmp");
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                keep = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value, or is not an option; usage: " + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--meters" -> meters = meters(v);
                case "--warmup" -> warmup = duration(a, v);
                case "--window" -> window = duration(a, v);
                case "--sync-interval" -> {
                    duration(a, v); // typed as the config takes it; checked here so a typo fails before the run
                    sync = Optional.of(v);
                }
                case "--coap" -> coap = onOff(a, v);
                case "--web" -> web = Optional.of(onOff(a, v));
                case "--dir" -> dir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; usage: " + USAGE);
            }
        }
        if (window.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("--window must be at least 5s (CPU ticks are 10 ms), was " + window.toMillis() + "ms");
        }
        return new FootprintOptions(meters, warmup, window, sync, coap, web, dir, keep);
    }

    /** The sync interval the limits apply to: the one given, or issue 11's default of 1 s. */
    Duration effectiveSyncInterval() {
        return syncInterval.map(s -> duration("--sync-interval", s)).orElse(Duration.ofSeconds(1));
    }

    /** "90s", "500ms", "5m", "1h" (the config's own duration grammar, whole numbers). */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + ": expected a duration such as 90s, 500ms or 5m, found '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static int meters(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--meters: expected 1..256, found '" + v + "'");
    }

    private static boolean onOff(String option, String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + ": expected on or off, found '" + v + "'");
        };
    }
}
