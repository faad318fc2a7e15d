package io.eiedge.drivers.modbus;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The device-profile library: one YAML resource per device model under
 * {@code io/eiedge/drivers/profiles/}, listed in {@code index.txt} there. A profile file has the
 * register schema of a config-defined map ({@code address, register-type, data-type,
 * word-order, scaler, obis, unit}) plus {@code maker, model, protocol, source, identity}.
 * Loaded once per instance; a broken file is a build defect and fails loudly naming the file.
 */
public final class ProfileLibrary {
    static final String FOLDER = "/io/eiedge/drivers/profiles/";

    private final Map<String, DeviceProfile> profiles;

    private ProfileLibrary(Map<String, DeviceProfile> profiles) {
        this.profiles = Collections.unmodifiableMap(profiles);
    }

    /** The profiles shipped in this jar. */
    public static ProfileLibrary builtIn() {
        Map<String, DeviceProfile> out = new TreeMap<>();
        for (String file : resource("index.txt").lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            DeviceProfile p = parse(resource(file), file);
            if (out.put(p.name(), p) != null) {
                throw new IllegalStateException("profile library: " + p.name() + " defined twice");
            }
        }
        return new ProfileLibrary(out);
    }

    private static String resource(String file) {
        try (InputStream in = ProfileLibrary.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IllegalStateException("profile library: missing resource " + FOLDER + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Collection<DeviceProfile> all() {
        return profiles.values();
    }

    public Set<String> names() {
        return profiles.keySet();
    }

    /** @throws IllegalArgumentException listing the known names when {@code name} is unknown */
    public DeviceProfile get(String name) {
        DeviceProfile p = profiles.get(name.trim().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("meter profile '" + name + "' is unknown; known profiles: "
                    + String.join(", ", profiles.keySet()) + " (eiedge meters profiles lists them)");
        }
        return p;
    }

    /**
     * Parses a profile file (also a technician's {@code --map FILE}: maker, model, protocol and
     * source are then optional).
     *
     * @param where file name for messages
     * @throws IllegalArgumentException naming the file, the key path and the problem
     */
    public static DeviceProfile parse(String yaml, String where) {
        Object root = new Load(LoadSettings.builder().setLabel(where).setSchema(new CoreSchema()).build()).loadFromString(yaml);
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(where + ": expected a mapping with name and registers");
        }
        Fields f = new Fields(top, where);
        String name = f.text("name", null);
        List<RegisterSpec> specs = new ArrayList<>();
        List<?> regs = f.list("registers", true);
        for (int i = 0; i < regs.size(); i++) {
            Fields r = f.item("registers", i, regs.get(i));
            try {
                specs.add(new RegisterSpec(r.text("obis", null), RegisterType.parse(r.text("register-type", "holding")),
                        r.integer("address", null), DataType.parse(r.text("data-type", null)),
                        WordOrder.parse(r.text("word-order", "ABCD")), r.integer("scaler", 0), r.text("unit", null)));
            } catch (IllegalArgumentException e) {
                throw r.wrap(e);
            }
        }
        List<DeviceProfile.IdentityCheck> identity = new ArrayList<>();
        List<?> ids = f.list("identity", false);
        for (int i = 0; i < ids.size(); i++) {
            Fields r = f.item("identity", i, ids.get(i));
            try {
                identity.add(new DeviceProfile.IdentityCheck(RegisterType.parse(r.text("register-type", "holding")),
                        r.integer("address", null), DataType.parse(r.text("data-type", null)),
                        WordOrder.parse(r.text("word-order", "ABCD")), r.number("min"), r.number("max"),
                        r.text("what", null)));
            } catch (IllegalArgumentException e) {
                throw r.wrap(e);
            }
        }
        RegisterMap map;
        try {
            map = new RegisterMap(name, specs, f.integer("max-gap", 0), f.integer("max-block", 125));
        } catch (IllegalArgumentException e) {
            throw f.wrap(e);
        }
        Map<?, ?> src = f.map("source");
        DeviceProfile.Source source = src == null
                ? new DeviceProfile.Source("technician's map " + where, "-", "-", "-")
                : new Fields(src, where + ": source").source();
        return new DeviceProfile(name, f.text("maker", "-"), f.text("model", "-"), f.text("protocol", "modbus"),
                source, identity, map);
    }

    /** Typed access to one mapping of a profile file, with the key path in every message. */
    private record Fields(Map<?, ?> m, String where) {

        String text(String key, String def) {
            Object v = m.get(key);
            if (v == null) {
                if (def != null) return def;
                throw new IllegalArgumentException(where + ": " + key + " is missing");
            }
            return v.toString();
        }

        int integer(String key, Integer def) {
            Object v = m.get(key);
            if (v == null && def != null) return def;
            if (v instanceof Integer n) return n;
            if (v instanceof Long n && n == n.intValue()) return n.intValue();
            throw new IllegalArgumentException(where + ": " + key + " must be an integer, found " + v);
        }

        double number(String key) {
            if (m.get(key) instanceof Number n) return n.doubleValue();
            throw new IllegalArgumentException(where + ": " + key + " must be a number, found " + m.get(key));
        }

        List<?> list(String key, boolean required) {
            Object v = m.get(key);
            if (v == null && !required) return List.of();
            if (v instanceof List<?> l && !l.isEmpty()) return l;
            throw new IllegalArgumentException(where + ": " + key + " must be a non-empty list");
        }

        Map<?, ?> map(String key) {
            Object v = m.get(key);
            if (v == null) return null;
            if (v instanceof Map<?, ?> sub) return sub;
            throw new IllegalArgumentException(where + ": " + key + " must be a mapping");
        }

        Fields item(String key, int i, Object v) {
            if (!(v instanceof Map<?, ?> sub)) {
                throw new IllegalArgumentException(where + ": " + key + "[" + i + "] must be a mapping");
            }
            return new Fields(sub, where + ": " + key + "[" + i + "]");
        }

        DeviceProfile.Source source() {
            return new DeviceProfile.Source(text("document", null), text("version", null), text("date", null),
                    text("checked", null));
        }

        IllegalArgumentException wrap(IllegalArgumentException e) {
            return e.getMessage() != null && e.getMessage().startsWith(where) ? e
                    : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
