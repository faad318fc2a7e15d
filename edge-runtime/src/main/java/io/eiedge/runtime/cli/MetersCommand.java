package io.eiedge.runtime.cli;

import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.modbus.BusScanner;
import io.eiedge.drivers.modbus.ModbusLink;
import io.eiedge.drivers.modbus.ModbusMeter;
import io.eiedge.drivers.modbus.ModbusProfile;
import io.eiedge.drivers.modbus.ProfileLibrary;
import io.eiedge.drivers.modbus.Profiles;
import io.eiedge.drivers.modbus.RegisterMap;
import io.eiedge.drivers.modbus.RegisterMapReader;
import io.eiedge.drivers.modbus.RegisterType;
import io.eiedge.drivers.modbus.RtuBus;
import io.eiedge.drivers.modbus.SerialBusConfig;
import io.eiedge.drivers.modbus.TcpLink;
import io.eiedge.drivers.modbus.ValueReader;

import io.eiedge.drivers.sunspec.SunSpecModel;
import io.eiedge.drivers.sunspec.SunSpecProfile;
import io.eiedge.drivers.sunspec.SunSpecReader;
import io.eiedge.runtime.cli.meters.CheckCommand;
import io.eiedge.runtime.cli.meters.MeterReport;
import io.eiedge.runtime.cli.meters.ProfilesCommand;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code eiedge meters check|read|scan}: the technician's wiring check — {@code check} reads the
 * meters of the configuration, {@code read} and {@code scan} need no configuration at all.
 */
@Command(name = "meters", mixinStandardHelpOptions = true,
        description = "Wiring check: read every configured meter once, find Modbus devices on a bus, read one meter once in plain units.",
        subcommands = {CheckCommand.class, MetersCommand.Read.class, MetersCommand.Scan.class, ProfilesCommand.class})
public final class MetersCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the device is: exactly one of TCP or RTU. */
    static final class Target {
        @Option(names = "--modbus-tcp", paramLabel = "HOST:PORT", description = "Modbus TCP device or gateway, e.g. 192.168.1.50:502")
        String tcp;
        @Option(names = "--modbus-rtu", paramLabel = "DEVICE", description = "RS-485 serial device, e.g. /dev/ttyUSB0")
        String rtu;
    }

    /** Line settings and timing shared by both sub-commands. */
    static final class Line {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;
        @Option(names = "--baud", defaultValue = "9600", description = "RTU baud rate (default ${DEFAULT-VALUE})")
        int baud;
        @Option(names = "--parity", defaultValue = "none", description = "RTU parity: none, even, odd (default ${DEFAULT-VALUE})")
        String parity;
        @Option(names = "--stop-bits", defaultValue = "1", description = "RTU stop bits: 1 or 2 (default ${DEFAULT-VALUE})")
        int stopBits;

        ModbusLink open(int timeoutMs, int retries) {
            if (target.tcp != null) {
                int colon = target.tcp.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("--modbus-tcp '" + target.tcp + "' must be HOST:PORT, e.g. 192.168.1.50:502");
                }
                String host = target.tcp.substring(0, colon).replace("[", "").replace("]", "");
                int port;
                try {
                    port = Integer.parseInt(target.tcp.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--modbus-tcp '" + target.tcp + "': port is not a number");
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("--modbus-tcp '" + target.tcp + "': port " + port + " is outside 1..65535");
                }
                return new TcpLink(host, port, timeoutMs, retries);
            }
            return new RtuBus(new SerialBusConfig(target.rtu, baud, 8, SerialBusConfig.Parity.parse(parity), stopBits,
                    Duration.ofMillis(timeoutMs), retries, Duration.ZERO));
        }
    }

    @Command(name = "read", mixinStandardHelpOptions = true, description = "Read one meter once and print each value with its OBIS code and unit.")
    static final class Read implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @ArgGroup(exclusive = false, multiplicity = "1")
        Line line;
        @Option(names = "--unit", required = true, description = "Modbus unit id")
        int unit;
        @Option(names = "--profile", description = "a profile of the library (eiedge meters profiles), sunspec, or the name of the --map file's map")
        String profile;
        @Option(names = "--map", paramLabel = "FILE", description = "a register map in YAML, the schema of a profile file (see the device-drivers README)")
        Path map;
        @Option(names = "--timeout", defaultValue = "1000", description = "answer timeout in ms (default ${DEFAULT-VALUE})")
        int timeoutMs;
        @Option(names = "--retries", defaultValue = "1", description = "retries after a timeout or bad frame (default ${DEFAULT-VALUE})")
        int retries;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ModbusProfile chosen;
            try {
                RegisterMap fromFile = map == null ? null
                        : ProfileLibrary.parse(java.nio.file.Files.readString(map), map.toString()).map();
                if (profile == null && fromFile == null) {
                    err.println("eiedge meters read: give --profile (" + Profiles.builtInNames() + ") or --map FILE");
                    return 2;
                }
                chosen = profile == null ? fromFile : Profiles.byName(profile, fromFile == null ? Map.of() : Map.of(fromFile.name(), fromFile));
            } catch (IllegalArgumentException | java.io.IOException e) {
                err.println("eiedge meters read: " + e.getMessage());
                return 2;
            }
            ModbusLink link;
            try {
                link = line.open(timeoutMs, retries);
            } catch (IllegalArgumentException e) {
                err.println("eiedge meters read: " + e.getMessage());
                return 2;
            }
            ValueReader reader = chosen instanceof SunSpecProfile ? new SunSpecReader() : new RegisterMapReader((RegisterMap) chosen);
            // one attempt, nothing held, no back-off: a technician wants the plain truth of this read
            FailurePolicy once = new FailurePolicy(1000, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            try (link; ModbusMeter meter = new ModbusMeter("cli", unit, reader, link, () -> { }, once, InstantSource.system())) {
                long t0 = System.nanoTime();
                Sample s = meter.read();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String what = link.describe() + " unit " + unit + ", profile " + chosen.name();
                if (reader instanceof SunSpecReader ss && ss.model() != null) {
                    what += " (" + describe(ss.model()) + ")";
                }
                return MeterReport.print(out, what, s, meter.lastError(), ms) ? 0 : 1;
            }
        }

        private static String describe(SunSpecModel m) {
            return m.describe();
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true, description = "List the unit ids that answer on a bus or gateway.")
    static final class Scan implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @ArgGroup(exclusive = false, multiplicity = "1")
        Line line;
        @Option(names = "--from", defaultValue = "1", description = "first unit id (default ${DEFAULT-VALUE})")
        int from;
        @Option(names = "--to", defaultValue = "247", description = "last unit id (default ${DEFAULT-VALUE})")
        int to;
        @Option(names = "--timeout", defaultValue = "200", description = "answer timeout per unit in ms (default ${DEFAULT-VALUE})")
        int timeoutMs;
        @Option(names = "--register", defaultValue = "input:0", paramLabel = "TYPE:ADDRESS",
                description = "the register asked for (default ${DEFAULT-VALUE}); any answer, even an exception, counts")
        String register;
        @Option(names = "--all", description = "also list the unit ids that did not answer")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RegisterType type;
            int address;
            try {
                if (from < 0 || to > 255 || from > to) {
                    throw new IllegalArgumentException("--from " + from + " --to " + to + " must satisfy 0 <= from <= to <= 255");
                }
                String[] parts = register.split(":", 2);
                type = RegisterType.parse(parts[0]);
                address = parts.length > 1 ? Integer.decode(parts[1]) : 0;
            } catch (IllegalArgumentException e) {
                err.println("eiedge meters scan: " + e.getMessage());
                return 2;
            }
            try (ModbusLink link = line.open(timeoutMs, 0)) {
                out.println("scanning " + link.describe() + ", unit ids " + from + ".." + to + ", " + timeoutMs + " ms each");
                out.flush();
                List<BusScanner.Result> results = BusScanner.scan(link, from, to, type, address, timeoutMs);
                int found = 0;
                for (BusScanner.Result r : results) {
                    if (r.answers()) {
                        found++;
                    }
                    if (r.answers() || all) {
                        out.printf("  unit %3d  %s%n", r.unitId(), r.verdict());
                    }
                }
                out.println(found == 0 ? "no unit answered" : found + " unit(s) answer");
                if (found > 0 && link instanceof TcpLink) {
                    out.println("(some gateways answer for every unit id; read each with 'eiedge meters read')");
                }
                out.flush();
                return found == 0 ? 1 : 0;
            } catch (IllegalArgumentException e) {
                err.println("eiedge meters scan: " + e.getMessage());
                return 2;
            }
        }
    }

}
