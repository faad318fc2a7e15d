package io.eiedge.runtime.config;

import io.eiedge.drivers.meter.DurationSetting;
import io.eiedge.drivers.meter.IntSetting;
import io.eiedge.drivers.meter.MeterSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML mapping being read into a record: typed getters that report a precise problem and
 * return {@code null} (so reading continues and all problems are found in one pass), and a
 * {@link #finish()} that reports every key nobody asked for.
 */
final class Section {
    private final Problems problems;
    private final String path;
    private final Node anchor;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, String> elsewhere = new LinkedHashMap<>();
    /** Set for a required section that is missing: its keys are not reported one by one. */
    private boolean quiet;

    /**
     * @param anchor where problems about missing keys are reported (the section's key, or its value)
     * @param value  the mapping, or {@code null} for an absent optional section (every key takes its default)
     */
    Section(Problems problems, String path, Node anchor, Node value) {
        this.problems = problems;
        this.path = path;
        this.anchor = anchor;
        if (value instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
                NodeTuple first = entries.putIfAbsent(key, t);
                if (first != null) {
                    problems.at(t.getKeyNode(), child(key), "duplicate key (first at line "
                            + first.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0) + ")");
                }
            }
        } else if (value != null) {
            problems.at(value, path.isEmpty() ? "yaml" : path, "expected a mapping of keys, found " + found(value));
        }
    }

    String path() {
        return path;
    }

    Node anchor() {
        return anchor;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Declares keys that belong to a sibling variant (e.g. another meter type), for a better message. */
    void belongsElsewhere(String key, String owners) {
        elsewhere.putIfAbsent(key, owners);
    }

    boolean has(String key) {
        known.add(key);
        return entries.containsKey(key);
    }

    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? anchor : t.getKeyNode();
    }

    /** The raw value node, marking the key as known; {@code null} when absent. */
    Node node(String key) {
        known.add(key);
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    void missing(String key) {
        if (quiet) return;
        problems.at(anchor, child(key), "required key is missing");
    }

    void error(String key, String message) {
        Node n = node(key);
        problems.at(n == null ? anchor : n, key == null ? path : child(key), message);
    }

    void errorHere(String message) {
        problems.at(anchor, path, message);
    }

    /** A sub-section; absent optional sections read as an empty mapping so defaults apply. */
    Section section(String key, boolean required) {
        Node n = node(key);
        if (n == null && required) {
            problems.at(anchor, child(key), "required section is missing");
        }
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            n = null; // "logging:" with nothing under it means "all defaults"
        }
        Section sub = new Section(problems, child(key), n == null ? anchor : keyNode(key), n);
        sub.quiet = quiet || (n == null && required);
        return sub;
    }

    /** Items of a list; {@code null} when absent or not a list (already reported). */
    List<Node> list(String key, boolean required) {
        Node n = node(key);
        if (n == null) {
            if (required) missing(key);
            return null;
        }
        if (n instanceof SequenceNode seq) return seq.getValue();
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) return List.of();
        problems.at(n, child(key), "expected a list, found " + found(n));
        return null;
    }

    String string(String key, String def, boolean required) {
        Node n = node(key);
        if (n == null) {
            if (required) missing(key);
            return def;
        }
        if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            if (s.getValue().isBlank()) {
                problems.at(n, child(key), "expected a non-empty string, found \"\"");
                return null;
            }
            return s.getValue();
        }
        problems.at(n, child(key), "expected a string, found " + found(n));
        return null;
    }

    /** A string that must match {@code pattern}; {@code expectation} completes "expected ...". */
    String matching(String key, String def, boolean required, Pattern pattern, String expectation) {
        String s = string(key, def, required);
        if (s == null || s == def) return s;
        if (!pattern.matcher(s).matches()) {
            problems.at(node(key), child(key), "expected " + expectation + ", found " + quote(s));
            return null;
        }
        return s;
    }

    Long longInteger(String key, Long def, boolean required, long min, long max) {
        Node n = node(key);
        if (n == null) {
            if (required) missing(key);
            return def;
        }
        String range = "an integer from " + min + " to " + max;
        if (!(n instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) {
            problems.at(n, child(key), "expected " + range + ", found " + found(n));
            return null;
        }
        long v;
        try {
            v = parseInt(s.getValue());
        } catch (NumberFormatException e) {
            problems.at(n, child(key), "expected " + range + ", found " + s.getValue());
            return null;
        }
        if (v < min || v > max) {
            problems.at(n, child(key), "expected " + range + ", found " + s.getValue());
            return null;
        }
        return v;
    }

    Integer integer(String key, Integer def, boolean required, int min, int max) {
        Long v = longInteger(key, def == null ? null : (long) def, required, min, max);
        return v == null ? null : v.intValue();
    }

    /** A number (integer or decimal) strictly above {@code exclusiveMin} and at most {@code max}. */
    Double number(String key, Double def, double exclusiveMin, double max) {
        Node n = node(key);
        if (n == null) return def;
        String range = "a number greater than " + plain(exclusiveMin) + " and at most " + plain(max);
        if (!(n instanceof ScalarNode s) || !(s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
            problems.at(n, child(key), "expected " + range + ", found " + found(n));
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(s.getValue());
        } catch (NumberFormatException e) {
            problems.at(n, child(key), "expected " + range + ", found " + s.getValue());
            return null;
        }
        if (!(v > exclusiveMin && v <= max)) {
            problems.at(n, child(key), "expected " + range + ", found " + s.getValue());
            return null;
        }
        return v;
    }

    Boolean bool(String key, Boolean def) {
        Node n = node(key);
        if (n == null) return def;
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        problems.at(n, child(key), "expected true or false, found " + found(n));
        return null;
    }

    <E extends Enum<E> & ConfigName> E choice(String key, Class<E> type, E def, boolean required) {
        Node n = node(key);
        if (n == null) {
            if (required) missing(key);
            return def;
        }
        String expected = "expected one of " + Arrays.stream(type.getEnumConstants())
                .map(ConfigName::configName).collect(Collectors.joining(", "));
        String hint = "";
        if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            Set<String> names = new LinkedHashSet<>();
            for (E e : type.getEnumConstants()) {
                if (e.configName().equals(s.getValue())) return e;
                names.add(e.configName());
            }
            String near = nearest(s.getValue(), names);
            if (near != null) hint = "; did you mean \"" + near + "\"?";
        }
        problems.at(n, child(key), expected + ", found " + found(n) + hint);
        return null;
    }

    /** A key defined once in the drivers' {@link MeterSettings}: its key, default and range. */
    Duration duration(DurationSetting setting, boolean required) {
        return duration(setting.key(), setting.defaultValue(), required, setting.min(), setting.max());
    }

    /** A key defined once in the drivers' {@link MeterSettings}; a set of allowed values is checked too. */
    Integer integer(IntSetting setting, boolean required) {
        Integer v = integer(setting.key(), setting.defaultValue(), required, setting.min(), setting.max());
        if (v != null && !setting.accepts(v)) {
            problems.at(node(setting.key()), child(setting.key()), "expected " + setting.range() + ", found " + v);
            return null;
        }
        return v;
    }

    Duration duration(String key, Duration def, boolean required, Duration min, Duration max) {
        return quantity(key, def, required, Quantities::duration,
                "a duration such as 500ms, 1s, 5m or 30d", min, max, Quantities::format);
    }

    Long bytes(String key, Long def, long min, long max) {
        return quantity(key, def, false, Quantities::bytes, "a size such as 512KiB, 64MiB or 1GB",
                min, max, Quantities::formatBytes);
    }

    Double watts(String key, Double def, boolean required, double min, double max) {
        return quantity(key, def, required, Quantities::watts, "a power such as 800W or 5kW", min, max,
                w -> plain(w) + "W");
    }

    private <Q extends Comparable<Q>> Q quantity(String key, Q def, boolean required,
                                                  Function<String, Optional<Q>> parse, String expectation,
                                                  Q min, Q max, Function<Q, String> format) {
        Node n = node(key);
        if (n == null) {
            if (required) missing(key);
            return def;
        }
        Optional<Q> q = n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)
                ? parse.apply(s.getValue()) : Optional.empty();
        if (q.isEmpty()) {
            problems.at(n, child(key), "expected " + expectation + ", found " + found(n));
            return null;
        }
        Q v = q.get();
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            problems.at(n, child(key), "expected from " + format.apply(min) + " to " + format.apply(max)
                    + ", found " + ((ScalarNode) n).getValue());
            return null;
        }
        return v;
    }

    /** Reports every key that no getter asked for: a typo, or a key of another variant. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            String key = e.getKey();
            if (known.contains(key)) continue;
            Node at = e.getValue().getKeyNode();
            String owners = elsewhere.get(key);
            if (owners != null) {
                problems.at(at, child(key), "key does not apply here (it is for " + owners + ")");
                continue;
            }
            String suggestion = nearest(key, known);
            problems.at(at, child(key), suggestion != null
                    ? "unknown key; did you mean \"" + suggestion + "\"?"
                    : "unknown key; expected one of " + String.join(", ", known));
        }
    }

    static String nearest(String key, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = levenshtein(key.toLowerCase(java.util.Locale.ROOT), c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        // a suggestion only when it is plausibly the same word mistyped
        int limit = Math.max(2, key.length() / 3);
        return bestDistance <= limit ? best : null;
    }

    private static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** How a value is described in messages: quoted strings, bare numbers, or its kind. */
    static String found(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        if (n instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) return "an empty value";
            if (s.getTag().equals(Tag.STR)) return quote(s.getValue());
            return s.getValue();
        }
        return "an unexpected node";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static long parseInt(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) t = t.substring(1);
        long v;
        if (t.startsWith("0x")) v = Long.parseLong(t.substring(2), 16);
        else if (t.startsWith("0o")) v = Long.parseLong(t.substring(2), 8);
        else v = Long.parseLong(t);
        return negative ? -v : v;
    }

    static List<Node> orEmpty(List<Node> nodes) {
        return nodes == null ? new ArrayList<>() : nodes;
    }
}
