package io.eiedge.runtime.cli.meters;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.runtime.cli.ConfigFile;
import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.runtime.config.ConfigExplainer;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.MeterConfig;
import io.eiedge.runtime.config.MeterConnection;
import io.eiedge.runtime.node.MeterWiring;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code eiedge meters check}: reads every meter of the configuration once, the way the daemon
 * would reach it, and says of each whether it answers — the technician's "is everything wired"
 * before (or instead of) starting the service.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Read every meter of the configuration once (or the ones named) and say whether each answers.",
                "Exit status 0 if all answer, 1 if any does not, 2 for a bad configuration or an unknown meter id.",
                "Stop the service first when meters share a serial line: a bus has one master."})
public final class CheckCommand implements Callable<Integer> {
    /** One plain attempt: no back-off, nothing held over from a previous read. */
    private static final FailurePolicy ONCE = new FailurePolicy(1000, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = EiedgeConfig.DEFAULT_PATH,
            description = "configuration file (default: ${DEFAULT-VALUE})")
    Path config;

    @Parameters(paramLabel = "METER", arity = "0..*", description = "meter ids to check (default: all)")
    List<String> only = List.of();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<EiedgeConfig> loaded = ConfigFile.loadOrReport(config, err, "no meter read");
        if (loaded.isEmpty()) {
            return 2;
        }
        EiedgeConfig c = loaded.get();
        List<MeterConfig> meters = new ArrayList<>();
        for (String id : only) {
            var m = c.meters().stream().filter(x -> x.id().equals(id)).findFirst();
            if (m.isEmpty()) {
                err.println("eiedge meters check: no meter '" + id + "' in " + config + " (it has: "
                        + String.join(", ", c.meters().stream().map(MeterConfig::id).toList()) + ")");
                return 2;
            }
            meters.add(m.get());
        }
        if (only.isEmpty()) {
            meters.addAll(c.meters());
        }
        if (meters.isEmpty()) {
            out.println(config + " configures no meters");
            return 0;
        }
        // S0 counters go to a throw-away folder: a check must never move the daemon's pulse count
        Path pulses = Files.createTempDirectory("eiedge-check-pulses");
        int answering = 0;
        int checked = 0;
        try (MeterFactory factory = MeterFactory.forHardware(pulses)) {
            for (MeterConfig m : meters) {
                checked++;
                if (check(out, factory, m)) {
                    answering++;
                }
                out.println();
                out.flush();
            }
        } finally {
            deleteQuietly(pulses);
        }
        out.println(answering + " of " + checked + " meter(s) answer");
        if (answering < checked && meters.stream().anyMatch(m -> m.connection() instanceof MeterConnection.ModbusRtu)) {
            out.println("(if eiedge is running, stop it first — 'sudo systemctl stop eiedge' — a serial line has one master)");
        }
        return answering == checked ? 0 : 1;
    }

    private static boolean check(PrintWriter out, MeterFactory factory, MeterConfig m) {
        String what = m.id() + ": " + ConfigExplainer.describe(m.connection());
        Meter meter;
        try {
            meter = factory.create(MeterWiring.toDriver(m, ONCE));
        } catch (RuntimeException e) {
            out.println("meter   " + what);
            out.println("verdict ERROR - cannot open: " + e.getMessage());
            return false;
        }
        try (meter) {
            long t0 = System.nanoTime();
            Sample s = meter.read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (m.connection() instanceof MeterConnection.S0 s0) {
                // a single read of a pulse input only proves the line could be claimed; pulses come over time
                out.println("meter   " + what);
                out.println("verdict LINE OPEN - GPIO " + s0.gpioPin() + " claimed; pulses are counted while the daemon runs"
                        + " ('eiedge status' shows them)");
                return true;
            }
            return MeterReport.print(out, what, s, meter.lastError(), ms);
        } catch (Exception e) {
            out.println("meter   " + what);
            out.println("verdict ERROR - " + e.getMessage());
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
