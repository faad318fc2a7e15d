package io.eiedge.aggregator.cli;

import io.eiedge.aggregator.report.EnergyReport;
import io.eiedge.aggregator.report.EnergyReport.Row;
import io.eiedge.aggregator.store.Database;
import io.eiedge.aggregator.store.Migrations;
import io.eiedge.aggregator.store.StoreException;
import io.eiedge.runtime.json.Json;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eiedge report energy|gaps}: what {@code ingest} stored, for settlement and for operators. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reports from the aggregator store that eiedge ingest fills.",
        subcommands = {ReportCommand.Energy.class, ReportCommand.Gaps.class})
public final class ReportCommand implements Runnable {
    static final int USAGE = 2;
    static final int DATABASE = 5;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --from}/{@code --to}: an ISO instant (2026-12-01T00:00:00Z), a date-time with offset, or a date (UTC midnight). */
    static Instant parseTime(String option, String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try a date
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + s + "' is not a time: give 2026-12-01T00:00:00Z, 2026-12-01T01:00+01:00 or 2026-12-01 (UTC)");
        }
    }

    /** {@code --interval}: 15m, 1h, 900s, 1d, or ISO-8601 (PT15M). */
    static Duration parseInterval(String s) {
        Matcher m = Pattern.compile("(\\d{1,7})([smhd])").matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(s.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--interval '" + s + "' is not a duration: give 15m, 1h, 900s, 1d or PT15M");
        }
    }

    private static Connection open(String db) throws SQLException, StoreException {
        Connection c = Database.of(db).connect();
        try {
            Migrations.requireReadable(c);
            c.setReadOnly(true);
            return c;
        } catch (SQLException | StoreException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Command(name = "energy", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Energy per device, meter, energy register and interval from the cumulative registers of verified",
                    "readings, and the subnet's totals per register (what an exchange's balance is checked against).",
                    "",
                    "A boundary between two readings takes the straight line between them (linear interpolation in",
                    "time); a reading exactly on it is used as it is. Each interval is complete, partial (a reading",
                    "of the run that decides it is missing, or there is none beyond a boundary) or lost (the only",
                    "missing readings were declared lost by the device, header key 11).",
                    "",
                    "Exit status: 0 report printed, 2 usage error, 5 database unusable."})
    static final class Energy implements Callable<Integer> {
        static final String CSV_HEADER = "start,end,device,meter,register,unit,energy,status,detail";

        @Spec
        CommandSpec spec;

        @Option(names = "--db", required = true, paramLabel = "URL", description = "the store eiedge ingest writes (postgresql://… or jdbc:postgresql://…)")
        String db;

        @Option(names = "--subnet", required = true, paramLabel = "S", description = "the subnet, as in the devices' certificates")
        String subnet;

        @Option(names = "--from", required = true, paramLabel = "T", description = "start (inclusive): 2026-12-01T00:00:00Z, with an offset, or a UTC date")
        String from;

        @Option(names = "--to", required = true, paramLabel = "T", description = "end (exclusive)")
        String to;

        @Option(names = "--interval", paramLabel = "D", defaultValue = "15m", description = "settlement interval (default: ${DEFAULT-VALUE})")
        String interval;

        @Option(names = "--csv", description = "CSV (" + CSV_HEADER + "); subnet totals have device and meter '*'")
        boolean csv;

        @Option(names = "--json", description = "one JSON document with rows and totals")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            EnergyReport.Result r;
            try {
                if (csv && json) throw new IllegalArgumentException("--csv and --json exclude each other");
                Instant a = parseTime("--from", from);
                Instant b = parseTime("--to", to);
                Duration d = parseInterval(interval);
                try (Connection c = open(db)) {
                    r = EnergyReport.compute(c, subnet, a, b, d);
                }
            } catch (IllegalArgumentException e) {
                err.println("eiedge report energy: " + e.getMessage());
                err.flush();
                return USAGE;
            } catch (SQLException | StoreException e) {
                err.println("eiedge report energy: " + e.getMessage());
                err.flush();
                return DATABASE;
            }
            if (csv) {
                out.println(CSV_HEADER);
                for (Row row : r.rows()) out.println(csv(row));
                for (Row row : r.totals()) out.println(csv(row));
            } else if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("subnet", r.subnet());
                doc.put("from", r.from().toString());
                doc.put("to", r.to().toString());
                doc.put("interval", r.interval().toString());
                doc.put("boundary", "linear interpolation between the readings either side");
                doc.put("rows", r.rows().stream().map(Energy::json).toList());
                doc.put("totals", r.totals().stream().map(Energy::json).toList());
                out.println(Json.write(doc));
            } else {
                table(out, r);
            }
            out.flush();
            return 0;
        }

        private static String csv(Row r) {
            return String.join(",", r.start().toString(), r.end().toString(), quote(r.device()), quote(r.meter()), quote(r.register()),
                    r.unit(), r.energy() == null ? "" : r.energy().toPlainString(), r.status().label(), quote(r.detail()));
        }

        private static String quote(String s) {
            return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }

        private static Map<String, Object> json(Row r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", r.start().toString());
            m.put("end", r.end().toString());
            m.put("device", r.device());
            m.put("meter", r.meter());
            m.put("register", r.register());
            m.put("unit", r.unit());
            m.put("energy", r.energy() == null ? null : r.energy().toPlainString());
            m.put("status", r.status().label());
            m.put("detail", r.detail());
            return m;
        }

        private static void table(PrintWriter out, EnergyReport.Result r) {
            out.println("energy in subnet " + r.subnet() + ", " + r.from() + " .. " + r.to() + " in intervals of " + r.interval());
            String fmt = "%-20s  %-16s  %-10s  %-12s  %16s %-4s  %-8s  %s%n";
            out.printf(fmt, "interval start", "device", "meter", "register", "energy", "", "status", "detail");
            List<Row> all = new ArrayList<>(r.rows());
            all.addAll(r.totals());
            for (Row row : all) {
                out.printf(fmt, row.start(), row.device().equals("*") ? "(subnet total)" : row.device(), row.meter(), row.register(),
                        row.energy() == null ? "?" : row.energy().toPlainString(), row.unit(), row.status().label(), row.detail());
            }
        }
    }

    @Command(name = "gaps", mixinStandardHelpOptions = true,
            description = {"Seqs missing from the store, per device and certificate, until they are filled; those the device",
                    "declared lost (header key 11) are shown as lost, not as missing.", "",
                    "Exit status: 0 nothing missing, 1 readings missing, 2 usage error, 5 database unusable."})
    static final class Gaps implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--db", required = true, paramLabel = "URL", description = "the store eiedge ingest writes")
        String db;

        @Option(names = "--subnet", paramLabel = "S", description = "only this subnet")
        String subnet;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long missing = 0;
            try (Connection c = open(db);
                 PreparedStatement p = c.prepareStatement("SELECT subnet, device, encode(cert_hash, 'hex'), first_missing, last_missing,"
                         + " size, lost FROM seq_gap WHERE ? IS NULL OR subnet = ? ORDER BY subnet, device, first_missing")) {
                p.setString(1, subnet);
                p.setString(2, subnet);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        long size = rs.getLong(6);
                        long lost = rs.getLong(7);
                        missing += size - lost;
                        out.printf("%s/%s (certificate %s…) seq %d..%d: %d missing, %d declared lost%n", rs.getString(1), rs.getString(2),
                                rs.getString(3).substring(0, 12), rs.getLong(4), rs.getLong(5), size - lost, lost);
                    }
                }
            } catch (IllegalArgumentException e) {
                err.println("eiedge report gaps: " + e.getMessage());
                err.flush();
                return USAGE;
            } catch (SQLException | StoreException e) {
                err.println("eiedge report gaps: " + e.getMessage());
                err.flush();
                return DATABASE;
            }
            out.println(missing == 0 ? "gaps: nothing missing" : "gaps: " + missing + " readings missing");
            out.flush();
            return missing == 0 ? 0 : 1;
        }
    }
}
