package io.eiedge.runtime.watch;

import io.eiedge.runtime.json.Json;
import io.eiedge.ledger.model.ScaledValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the watcher's findings for people (a table) and for programs (JSON lines, CSV). */
public final class WatchReport {

    /** Header line of {@link #csv(WatchEvent)}. */
    public static final String CSV_HEADER = "time,item,outcome,subnet,device,number,detail";

    private WatchReport() {
    }

    /** A fixed-width table, one row per device. */
    public static String table(List<DeviceSummary> devices) {
        String[] head = {"SUBNET", "DEVICE", "ROLE", "STATE", "READINGS", "FORGED", "MISSING", "DUPS", "HEADERS",
                "BAD", "BLOCKS", "SEQ", "HEIGHT", "ENERGY"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (DeviceSummary d : devices) {
            String state = d.revoked() ? "REVOKED" : !d.trusted() ? (d.held() > 0 ? "no-cert(" + d.held() + ")" : "no-cert")
                    : d.state().isEmpty() ? "-" : d.state();
            rows.add(new String[] {d.subnet(), d.device(), d.role().isEmpty() ? "-" : d.role(), state,
                    Long.toString(d.readingsOk()), Long.toString(d.forged()), Long.toString(d.missing()),
                    Long.toString(d.duplicates()), Long.toString(d.headersOk()), Long.toString(d.headersBad()),
                    Long.toString(d.blocksVerified()), Long.toString(d.lastSeq()),
                    d.lastHeight() < 0 ? "-" : Long.toString(d.lastHeight()), energy(d)});
        }
        int[] width = new int[head.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                boolean number = i >= 4 && i <= 12;
                String cell = number ? " ".repeat(width[i] - r[i].length()) + r[i] : r[i];
                sb.append(cell);
                if (i < r.length - 1) sb.append(number ? "  " : " ".repeat(width[i] - r[i].length() + 2));
            }
            sb.append('\n');
        }
        if (devices.isEmpty()) sb.append("(nothing received yet)\n");
        return sb.toString();
    }

    /** The newest header's energy registers, e.g. {@code grid/1-0:1.8.0=1234.567 Wh}. */
    static String energy(DeviceSummary d) {
        if (d.energy().isEmpty()) return "-";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, ScaledValue> e : d.energy().entrySet()) {
            parts.add(e.getKey() + "=" + e.getValue().decimal().toPlainString() + " " + e.getValue().unit());
            if (parts.size() == 2) break;
        }
        int more = d.energy().size() - parts.size();
        return String.join(" ", parts) + (more > 0 ? " +" + more : "");
    }

    public static String json(WatchEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.item().name().toLowerCase(Locale.ROOT));
        m.put("outcome", e.outcome().label());
        m.put("time", e.time().toString());
        m.put("subnet", e.subnet());
        if (!e.device().isEmpty()) m.put("device", e.device());
        if (e.number() >= 0) m.put(e.item() == WatchTopic.Leaf.READING ? "seq" : e.item() == WatchTopic.Leaf.HEADER ? "height" : "number", e.number());
        if (!e.detail().isEmpty()) m.put("detail", e.detail());
        return Json.write(m);
    }

    public static String json(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "problem");
        m.put("kind", p.kind().label());
        m.put("time", p.time().toString());
        m.put("subnet", p.subnet());
        m.put("device", p.device());
        m.put("topic", p.topic());
        m.put("detail", p.detail());
        return Json.write(m);
    }

    public static String json(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "verdict");
        m.put("ok", v.clean());
        m.put("devices", v.devices());
        m.put("readings", v.readingsVerified());
        m.put("headers", v.headersVerified());
        m.put("blocks", v.blocksVerified());
        m.put("duplicates", v.duplicates());
        m.put("problems", v.problems().size());
        m.put("summary", v.headline());
        return Json.write(m);
    }

    public static String json(DeviceSummary d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "device");
        m.put("subnet", d.subnet());
        m.put("device", d.device());
        m.put("role", d.role());
        m.put("state", d.state());
        m.put("trusted", d.trusted());
        m.put("revoked", d.revoked());
        m.put("readings", d.readingsOk());
        m.put("forged", d.forged());
        m.put("missing", d.missing());
        m.put("duplicates", d.duplicates());
        m.put("headers", d.headersOk());
        m.put("headersBad", d.headersBad());
        m.put("headerGaps", d.headerGaps());
        m.put("blocks", d.blocksVerified());
        m.put("seq", d.lastSeq());
        m.put("height", d.lastHeight());
        Map<String, Object> energy = new LinkedHashMap<>();
        d.energy().forEach((k, v) -> energy.put(k, List.of(v.mantissa(), v.scaler(), v.unit())));
        m.put("energy", energy);
        return Json.write(m);
    }

    public static String csv(WatchEvent e) {
        return String.join(",", e.time().toString(), e.item().name().toLowerCase(Locale.ROOT), e.outcome().label(),
                csvCell(e.subnet()), csvCell(e.device()), e.number() < 0 ? "" : Long.toString(e.number()), csvCell(e.detail()));
    }

    private static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
