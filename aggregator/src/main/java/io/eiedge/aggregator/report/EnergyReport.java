package io.eiedge.aggregator.report;

import io.eiedge.ledger.model.ScaledValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Energy per device, meter, energy register and interval from the cumulative registers of stored
 * (verified) readings, and the subnet's totals per register.
 *
 * <p><b>Boundaries.</b> The register's value at an interval boundary is the value of a reading
 * taken exactly then, or else the straight line between the last reading before and the first
 * after it (linear interpolation in time). An interval's energy is the value at its end minus the
 * value at its start; consecutive intervals therefore add up exactly to the register's difference
 * over the whole span, whatever the reading times. Interpolated values are rounded half-even to
 * {@link #SCALE} decimals of the unit.
 *
 * <p><b>Status.</b> The readings that decide an interval are those from the device's last reading
 * at or before its start to its first at or after its end. If a seq of that run is missing from
 * the store, the interval is {@link Status#PARTIAL} (its energy still comes from the cumulative
 * registers around the gap, but where it fell inside the interval is a guess); if every missing seq
 * was declared lost by the device (header key 11), it is {@link Status#LOST}; else
 * {@link Status#COMPLETE}. With no reading on one side of a boundary the energy is unknown and the
 * interval partial.
 */
public final class EnergyReport {
    /** Decimals kept of an interpolated register value. */
    public static final int SCALE = 6;
    /** Intervals one report may hold (a year of 15-minute intervals fits). */
    public static final int MAX_INTERVALS = 40_000;

    /** Worst first when combined: partial > lost > complete. */
    public enum Status {
        COMPLETE, LOST, PARTIAL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        Status worst(Status o) {
            return compareTo(o) >= 0 ? this : o;
        }
    }

    /**
     * One interval of one register; {@code device} and {@code meter} are "*" for subnet totals.
     *
     * @param energy null when it cannot be determined
     */
    public record Row(Instant start, Instant end, String device, String meter, String register, String unit, BigDecimal energy,
                      Status status, String detail) {
    }

    /** The whole report. */
    public record Result(String subnet, Instant from, Instant to, Duration interval, List<Row> rows, List<Row> totals) {
    }

    private record Point(long timeMs, BigDecimal value) {
    }

    private record Sample(String cert, long seq, long timeMs) {
    }

    private record Loss(String cert, long first, long last) {
    }

    private EnergyReport() {
    }

    public static Result compute(Connection c, String subnet, Instant from, Instant to, Duration interval) throws SQLException {
        if (!to.isAfter(from)) throw new IllegalArgumentException("--to must be after --from");
        if (interval.toMillis() < 1000) throw new IllegalArgumentException("--interval must be at least 1 s");
        long n = (to.toEpochMilli() - from.toEpochMilli() + interval.toMillis() - 1) / interval.toMillis();
        if (n > MAX_INTERVALS) throw new IllegalArgumentException(n + " intervals requested; at most " + MAX_INTERVALS + " per report");
        List<long[]> bounds = new ArrayList<>();
        for (long a = from.toEpochMilli(); a < to.toEpochMilli(); a += interval.toMillis()) {
            bounds.add(new long[] {a, Math.min(a + interval.toMillis(), to.toEpochMilli())});
        }
        List<Row> rows = new ArrayList<>();
        for (String device : devices(c, subnet)) rows.addAll(device(c, device, from.toEpochMilli(), to.toEpochMilli(), bounds));
        return new Result(subnet, from, to, interval, rows, totals(rows));
    }

    private static List<String> devices(Connection c, String subnet) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT device FROM certificate WHERE subnet = ? ORDER BY device")) {
            p.setString(1, subnet);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Row> device(Connection c, String device, long from, long to, List<long[]> bounds) throws SQLException {
        long lo = edge(c, "SELECT max(time_ms) FROM reading WHERE device = ? AND time_ms <= ?", device, from, from);
        long hi = edge(c, "SELECT min(time_ms) FROM reading WHERE device = ? AND time_ms >= ?", device, to, to);
        // register "meter/OBIS|unit" -> points by time; every reading (any meter) for seq coverage
        Map<String, TreeMap<Long, Point>> registers = new TreeMap<>();
        List<Sample> samples = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT r.cert_hash, r.seq, r.time_ms, r.meter, v.key, (v.value->>0)::bigint,"
                + " (v.value->>1)::int, v.value->>2 FROM reading r LEFT JOIN LATERAL jsonb_each(r.vals) v ON true"
                + " WHERE r.device = ? AND r.time_ms BETWEEN ? AND ? ORDER BY r.time_ms, r.seq")) {
            p.setString(1, device);
            p.setLong(2, lo);
            p.setLong(3, hi);
            try (ResultSet rs = p.executeQuery()) {
                Sample last = null;
                while (rs.next()) {
                    Sample s = new Sample(HexFormat.of().formatHex(rs.getBytes(1)), rs.getLong(2), rs.getLong(3));
                    if (!s.equals(last)) samples.add(s);
                    last = s;
                    String obis = rs.getString(5);
                    if (obis == null) continue;
                    String unit = rs.getString(8);
                    if (!ScaledValue.ENERGY_UNITS.contains(unit)) continue;
                    BigDecimal value = BigDecimal.valueOf(rs.getLong(6)).scaleByPowerOfTen(rs.getInt(7));
                    registers.computeIfAbsent(rs.getString(4) + "/" + obis + "|" + unit, k -> new TreeMap<>())
                            .put(s.timeMs(), new Point(s.timeMs(), value));
                }
            }
        }
        List<Loss> losses = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT cert_hash, first_lost, last_lost FROM declared_loss WHERE device = ?")) {
            p.setString(1, device);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) losses.add(new Loss(HexFormat.of().formatHex(rs.getBytes(1)), rs.getLong(2), rs.getLong(3)));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (long[] b : bounds) {
            String[] why = {""};
            Status status = coverage(samples, losses, b[0], b[1], why);
            for (var e : registers.entrySet()) {
                String[] parts = e.getKey().split("\\|", 2);
                int slash = parts[0].indexOf('/');
                String meter = parts[0].substring(0, slash);
                String register = parts[0].substring(slash + 1);
                BigDecimal start = valueAt(e.getValue(), b[0]);
                BigDecimal end = valueAt(e.getValue(), b[1]);
                Status s = status;
                String detail = why[0];
                BigDecimal energy = null;
                if (start == null || end == null) {
                    s = Status.PARTIAL;
                    detail = "no reading of " + parts[0] + (start == null ? " at or before " + Instant.ofEpochMilli(b[0])
                            : " at or after " + Instant.ofEpochMilli(b[1]));
                } else {
                    energy = end.subtract(start).stripTrailingZeros();
                    if (energy.signum() < 0) {
                        s = Status.PARTIAL;
                        detail = "register went down by " + energy.negate().toPlainString() + " (counter reset?)";
                    }
                }
                rows.add(new Row(Instant.ofEpochMilli(b[0]), Instant.ofEpochMilli(b[1]), device, meter, register, parts[1], energy, s, detail));
            }
        }
        return rows;
    }

    private static long edge(Connection c, String sql, String device, long t, long otherwise) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, device);
            p.setLong(2, t);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? otherwise : v;
            }
        }
    }

    /** The register's value at {@code t}: a reading taken then, or the line between its neighbours; null without both. */
    static BigDecimal valueAt(TreeMap<Long, Point> points, long t) {
        Point exact = points.get(t);
        if (exact != null) return exact.value();
        var before = points.floorEntry(t);
        var after = points.ceilingEntry(t);
        if (before == null || after == null) return null;
        Point a = before.getValue();
        Point b = after.getValue();
        BigDecimal slope = b.value().subtract(a.value()).multiply(BigDecimal.valueOf(t - a.timeMs()));
        return a.value().add(slope.divide(BigDecimal.valueOf(b.timeMs() - a.timeMs()), SCALE, RoundingMode.HALF_EVEN));
    }

    /** Complete, lost or partial for the run of readings deciding [a, b); {@code why[0]} says what is missing. */
    private static Status coverage(List<Sample> samples, List<Loss> losses, long a, long b, String[] why) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).timeMs() <= a) first = i;
            if (last < 0 && samples.get(i).timeMs() >= b) last = i;
        }
        if (first < 0 || last < 0) {
            why[0] = "no reading " + (first < 0 ? "at or before the start" : "at or after the end") + " of the interval";
            return Status.PARTIAL;
        }
        Map<String, TreeSet<Long>> seqs = new LinkedHashMap<>();
        for (int i = first; i <= last; i++) seqs.computeIfAbsent(samples.get(i).cert(), k -> new TreeSet<>()).add(samples.get(i).seq());
        long missing = 0;
        long lost = 0;
        StringBuilder where = new StringBuilder();
        for (var e : seqs.entrySet()) {
            Long prev = null;
            for (long s : e.getValue()) {
                if (prev != null && s > prev + 1) {
                    for (long m = prev + 1; m < s; m++) {
                        if (declared(losses, e.getKey(), m)) lost++;
                        else missing++;
                    }
                    if (where.length() < 200) where.append(where.length() == 0 ? "" : ", ").append(prev + 1).append(s - 1 > prev + 1 ? ".." + (s - 1) : "");
                }
                prev = s;
            }
        }
        if (missing > 0) {
            why[0] = missing + " reading(s) missing (seq " + where + ")" + (lost > 0 ? ", " + lost + " declared lost" : "");
            return Status.PARTIAL;
        }
        if (lost > 0) {
            why[0] = lost + " reading(s) declared lost by the device (seq " + where + ")";
            return Status.LOST;
        }
        return Status.COMPLETE;
    }

    private static boolean declared(List<Loss> losses, String cert, long seq) {
        for (Loss l : losses) if (l.cert().equals(cert) && seq >= l.first() && seq <= l.last()) return true;
        return false;
    }

    /** Per interval and register (OBIS and unit), the sum over the subnet's devices and meters. */
    private static List<Row> totals(List<Row> rows) {
        Map<String, Row> sums = new TreeMap<>();
        Map<String, Integer> unknown = new TreeMap<>();
        for (Row r : rows) {
            String key = r.start().toEpochMilli() + "|" + r.register() + "|" + r.unit();
            Row s = sums.get(key);
            BigDecimal add = r.energy() == null ? BigDecimal.ZERO : r.energy();
            if (r.energy() == null) unknown.merge(key, 1, Integer::sum);
            sums.put(key, s == null ? new Row(r.start(), r.end(), "*", "*", r.register(), r.unit(), add, r.status(), "")
                    : new Row(s.start(), s.end(), "*", "*", s.register(), s.unit(), s.energy().add(add), s.status().worst(r.status()), ""));
        }
        List<Row> out = new ArrayList<>();
        for (var e : sums.entrySet()) {
            Row s = e.getValue();
            Integer u = unknown.get(e.getKey());
            String detail = u == null ? (s.status() == Status.COMPLETE ? "" : "some devices' intervals are " + s.status().label())
                    : u + " register(s) of unknown energy left out";
            out.add(new Row(s.start(), s.end(), "*", "*", s.register(), s.unit(), s.energy().stripTrailingZeros(), s.status(), detail));
        }
        return out;
    }
}
