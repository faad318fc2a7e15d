package io.eiedge.bench.ledger;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The ledger's targets, as ratios of figures measured in one JMH run: durable append vs raw
 * Ed25519 signing (≥ 0.5), reading verification vs raw Ed25519 verification (≥ 0.8), bytes on
 * disk per reading vs the reading's COSE_Sign1 (≤ 1.5).
 *
 * <p>JMH runs every benchmark in its own forked JVM; the forks of one run share a parent (the
 * JMH host), so each fork appends its figure to a file named after the parent's pid and prints
 * the table so far. The last fork of the run prints the complete table.
 * {@code java -cp ... io.eiedge.bench.ledger.LedgerRatios} prints the newest table again.
 */
public final class LedgerRatios {
    static final String SIGN = "rawEd25519Sign";
    static final String RAW_VERIFY = "rawEd25519Verify";
    static final String VERIFY = "verifyReading";
    static final String SIGN_READING = "signReading";
    static final String APPEND_4 = "appendPollOf4";
    static final String APPEND_32 = "appendPollOf32";
    static final String APPEND_THREADS = "append4ThreadsSingle";
    static final String DISK_PER_COSE = "diskPerCose";
    static final String DISK_READINGS = "diskReadings";

    private LedgerRatios() {
    }

    private static Path file() {
        long host = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
        return Path.of(System.getProperty("java.io.tmpdir"), "eiedge-ledger-bench-" + host + ".txt");
    }

    static synchronized void record(String name, double value) {
        try {
            Files.writeString(file(), name + " " + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Double> load(Path file) {
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 2) {
                        figures.put(f[0], Double.parseDouble(f[1]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return figures;
    }

    static void print(PrintStream out) {
        print(load(file()), out);
    }

    static void print(Map<String, Double> f, PrintStream out) {
        StringBuilder sb = new StringBuilder("\n== eiedge ledger ratios, this run (figures counted over JMH's measurement iterations) ==\n");
        rate(sb, f, SIGN, "raw BouncyCastle Ed25519 sign", "signatures/s");
        rate(sb, f, SIGN_READING, "SignedReading.sign (encode + sign)", "readings/s");
        rate(sb, f, RAW_VERIFY, "raw BouncyCastle Ed25519 verify", "verifications/s");
        rate(sb, f, VERIFY, "LedgerVerifier.verifyReading", "readings/s");
        rate(sb, f, APPEND_4, "Chain.append, 4 drafts per call", "readings/s");
        rate(sb, f, APPEND_32, "Chain.append, 32 drafts per call", "readings/s");
        rate(sb, f, APPEND_THREADS, "Chain.append, 4 threads x 1 draft", "readings/s");
        sb.append('\n');
        ratio(sb, f, APPEND_4, SIGN, "append(4)/sign", 0.5, true);
        ratio(sb, f, APPEND_32, SIGN, "append(32)/sign", 0.5, true);
        ratio(sb, f, APPEND_THREADS, SIGN, "append(4 threads)/sign", 0.5, true);
        ratio(sb, f, VERIFY, RAW_VERIFY, "verify/raw-verify", 0.8, true);
        if (f.containsKey(DISK_PER_COSE)) {
            double r = f.get(DISK_PER_COSE);
            sb.append(String.format(Locale.ROOT, "  %-26s %6.3f   target <= 1.5  %s   (after %,.0f readings, default block policy)%n",
                    "disk/COSE", r, r <= 1.5 ? "met" : "MISSED", f.getOrDefault(DISK_READINGS, 0.0)));
        } else {
            sb.append(String.format(Locale.ROOT, "  %-26s (not measured yet)%n", "disk/COSE"));
        }
        out.print(sb);
        out.flush();
    }

    private static void rate(StringBuilder sb, Map<String, Double> f, String key, String what, String unit) {
        if (f.containsKey(key)) {
            sb.append(String.format(Locale.ROOT, "  %-36s %,12.0f %s%n", what, f.get(key), unit));
        }
    }

    private static void ratio(StringBuilder sb, Map<String, Double> f, String num, String den, String name, double target, boolean atLeast) {
        if (f.containsKey(num) && f.containsKey(den)) {
            double r = f.get(num) / f.get(den);
            boolean met = atLeast ? r >= target : r <= target;
            sb.append(String.format(Locale.ROOT, "  %-26s %6.3f   target %s %.1f  %s%n", name, r, atLeast ? ">=" : "<=", target,
                    met ? "met" : "MISSED"));
        } else {
            sb.append(String.format(Locale.ROOT, "  %-26s (not measured yet)%n", name));
        }
    }

    /** Prints the newest run's table again (from java.io.tmpdir). */
    public static void main(String[] args) throws IOException {
        Optional<Path> newest;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            newest = files.filter(p -> p.getFileName().toString().startsWith("eiedge-ledger-bench-"))
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()));
        }
        if (newest.isEmpty()) {
            System.err.println("no ledger benchmark figures in " + System.getProperty("java.io.tmpdir") + "; run scripts/bench.sh Ledger");
            System.exit(1);
        }
        System.out.println("figures from " + newest.get());
        print(load(newest.get()), System.out);
    }
}
