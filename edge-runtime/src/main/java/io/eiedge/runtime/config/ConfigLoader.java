package io.eiedge.runtime.config;

import io.eiedge.runtime.config.MeterConnection.DataType;
import io.eiedge.runtime.config.MeterConnection.Edge;
import io.eiedge.runtime.config.MeterConnection.Parity;
import io.eiedge.runtime.config.MeterConnection.Pull;
import io.eiedge.runtime.config.MeterConnection.RegisterSource;
import io.eiedge.runtime.config.MeterConnection.RegisterSpec;
import io.eiedge.runtime.config.MeterConnection.RegisterType;
import io.eiedge.runtime.config.MeterConnection.SimKind;
import io.eiedge.runtime.config.MeterConnection.WordOrder;
import io.eiedge.drivers.meter.IntSetting;
import io.eiedge.drivers.meter.MeterSettings;
import io.eiedge.drivers.modbus.Profiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads {@code eiedge.yaml} into an {@link EiedgeConfig}. The YAML is composed into nodes (so every
 * value keeps its line and column) and then walked section by section; every problem is collected
 * and reported together in an {@link InvalidConfigException}. Nothing here logs: the logging
 * configuration is itself read from this file.
 */
public final class ConfigLoader {

    /** Ids travel in MQTT topic levels and certificate names: no '/', '+', '#', no spaces. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    static final String ID_EXPECTATION = "an id of letters, digits, '-', '_' or '.' (at most 63 characters)";
    static final Pattern OBIS = Pattern.compile(
            "(\\d{1,3})-(\\d{1,3}):(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** {@code 1.2.3.4:80}, {@code [::1]:80}, {@code 0.0.0.0:80}. */
    static final Pattern LISTEN = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^\\[\\]:]+)):(\\d{1,5})");
    static final Pattern TOPIC_PREFIX = Pattern.compile("[^/+#\\s]+(/[^/+#\\s]+)*");
    /** SenML units (RFC 8428, RFC 8798) a meter quantity may carry. */
    static final Set<String> UNITS = Set.of("Wh", "W", "var", "VA", "V", "A", "Hz", "J", "Cel", "K", "m3",
            "m3/s", "l", "l/s", "%EL", "%RH", "%", "/", "varh", "VAh");

    private static final Map<MeterConfig.Type, Set<String>> TYPE_KEYS = new LinkedHashMap<>();

    static {
        TYPE_KEYS.put(MeterConfig.Type.MODBUS_TCP,
                Set.of("host", "port", "unit-id", "profile", "registers", "timeout", "retries"));
        TYPE_KEYS.put(MeterConfig.Type.MODBUS_RTU, Set.of("device", "baud", "parity", "stop-bits",
                "inter-frame-gap", "unit-id", "profile", "registers", "timeout", "retries"));
        TYPE_KEYS.put(MeterConfig.Type.SUNSPEC, Set.of("host", "port", "unit-id", "timeout", "retries"));
        TYPE_KEYS.put(MeterConfig.Type.S0, Set.of("gpio-pin", "pull", "edge", "debounce", "pulses-per-kwh"));
        TYPE_KEYS.put(MeterConfig.Type.SIMULATED, Set.of("kind", "seed", "peak-power"));
        TYPE_KEYS.put(MeterConfig.Type.P1, Set.of("device", "baud", "timeout"));
    }

    private ConfigLoader() {
    }

    /** Reads and validates a file; problems are reported with the file name as given. */
    public static EiedgeConfig load(Path file) throws IOException, InvalidConfigException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return parse(text, file.toString());
    }

    /** Validates YAML text; {@code fileName} is used in the error locations. */
    public static EiedgeConfig parse(String yaml, String fileName) throws InvalidConfigException {
        Problems problems = new Problems(fileName);
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).setSchema(new CoreSchema())
                .setAllowDuplicateKeys(true) // reported by Section with both lines
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            String problem = firstLine(e.getProblem() != null ? e.getProblem() : e.getContext());
            // snakeyaml speaks of block tokens; what a person has to fix is almost always the indentation
            String hint = problem.contains("block") ? " (check the indentation)" : "";
            problems.at(e.getProblemMark().or(e::getContextMark), "yaml", "syntax error: " + problem + hint);
            throw new InvalidConfigException(problems.sorted());
        } catch (YamlEngineException e) {
            problems.at(Optional.empty(), "yaml", "syntax error: " + firstLine(e.getMessage()));
            throw new InvalidConfigException(problems.sorted());
        }
        if (root.isEmpty()) {
            problems.at(Optional.empty(), "yaml",
                    "the file is empty; expected a mapping with device, meters and mqtt sections");
            throw new InvalidConfigException(problems.sorted());
        }
        if (!(root.get() instanceof MappingNode)) {
            problems.at(root.get(), "yaml", "expected a mapping with device, meters and mqtt sections, found "
                    + Section.found(root.get()));
            throw new InvalidConfigException(problems.sorted());
        }
        EiedgeConfig config = new ConfigLoader.Walk(problems).root(new Section(problems, "", root.get(), root.get()));
        if (!problems.isEmpty() || config == null) throw new InvalidConfigException(problems.sorted());
        return config;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable YAML";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** One pass over the tree; returns null for a section with problems (already reported). */
    private record Walk(Problems problems) {

        EiedgeConfig root(Section root) {
            DeviceConfig device = device(root.section("device", true));
            IdentityConfig identity = identity(root.section("identity", false));
            List<MeterConfig> meters = meters(root);
            LedgerConfig ledger = ledger(root.section("ledger", false));
            MqttConfig mqtt = mqtt(root.section("mqtt", true));
            CoapConfig coap = coap(root.section("coap", false), device);
            LoggingConfig logging = logging(root.section("logging", false));
            WebConfig web = web(root.section("web", false));
            root.finish();
            if (device == null || identity == null || meters == null || ledger == null || mqtt == null
                    || coap == null || logging == null || web == null) {
                return null;
            }
            return new EiedgeConfig(device, identity, meters, ledger, mqtt, coap, logging, web);
        }

        DeviceConfig device(Section s) {
            String id = s.matching("id", null, true, ID, ID_EXPECTATION);
            String subnet = s.matching("subnet", null, true, ID, ID_EXPECTATION);
            DeviceConfig.Role role = s.choice("role", DeviceConfig.Role.class, null, true);
            s.finish();
            return id == null || subnet == null || role == null ? null : new DeviceConfig(id, subnet, role);
        }

        IdentityConfig identity(Section s) {
            String dir = s.string("dir", IdentityConfig.DEFAULT_DIR.toString(), false);
            String pass = s.string("passphrase-file", null, false);
            s.finish();
            return dir == null ? null : new IdentityConfig(Path.of(dir), Optional.ofNullable(pass).map(Path::of));
        }

        List<MeterConfig> meters(Section root) {
            List<Node> items = root.list("meters", true);
            if (items == null) return null;
            List<MeterConfig> meters = new ArrayList<>();
            Map<String, Node> seen = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                Section m = new Section(problems, "meters[" + i + "]", item, item);
                MeterConfig meter = meter(m);
                if (meter != null) {
                    Node first = seen.putIfAbsent(meter.id(), m.keyNode("id"));
                    if (first != null) {
                        problems.at(m.node("id"), m.child("id"), "duplicate meter id " + Section.quote(meter.id())
                                + " (first defined at line " + first.getStartMark().map(k -> k.getLine() + 1).orElse(0)
                                + ")");
                        ok = false;
                    }
                    meters.add(meter);
                } else {
                    ok = false;
                }
            }
            return ok ? meters : null;
        }

        MeterConfig meter(Section s) {
            String id = s.matching("id", null, true, ID, ID_EXPECTATION);
            MeterConfig.Type type = s.choice("type", MeterConfig.Type.class, null, true);
            Duration poll = s.duration(MeterSettings.POLL_INTERVAL, false);
            MeterConnection connection = type == null ? null : switch (type) {
                case MODBUS_TCP -> modbusTcp(s);
                case MODBUS_RTU -> modbusRtu(s);
                case SUNSPEC -> sunSpec(s);
                case S0 -> s0(s);
                case SIMULATED -> simulated(s);
                case P1 -> p1(s);
            };
            for (Map.Entry<MeterConfig.Type, Set<String>> e : TYPE_KEYS.entrySet()) {
                for (String key : e.getValue()) {
                    s.belongsElsewhere(key, ownersOf(key));
                }
            }
            if (type != null) s.finish(); // with an unknown type, which keys apply is unknowable
            return id == null || poll == null || connection == null ? null : new MeterConfig(id, poll, connection);
        }

        private static String ownersOf(String key) {
            List<String> owners = new ArrayList<>();
            TYPE_KEYS.forEach((t, keys) -> {
                if (keys.contains(key)) owners.add(t.configName());
            });
            return String.join(", ", owners) + " meters";
        }

        MeterConnection modbusTcp(Section s) {
            String host = s.string("host", null, true);
            Integer port = s.integer(MeterSettings.TCP_PORT, false);
            Integer unit = s.integer(MeterSettings.TCP_UNIT_ID, false);
            RegisterSource regs = registers(s);
            Duration timeout = s.duration(MeterSettings.TIMEOUT, false);
            Integer retries = s.integer(MeterSettings.RETRIES, false);
            return anyNull(host, port, unit, regs, timeout, retries) ? null
                    : new MeterConnection.ModbusTcp(host, port, unit, regs, timeout, retries);
        }

        MeterConnection modbusRtu(Section s) {
            String device = s.string("device", null, true);
            Integer baud = s.integer(MeterSettings.BAUD, false);
            Parity parity = s.choice("parity", Parity.class, Parity.EVEN, false);
            Integer stop = s.integer(MeterSettings.STOP_BITS, false);
            Duration gap = s.has(MeterSettings.INTER_FRAME_GAP.key()) ? s.duration(MeterSettings.INTER_FRAME_GAP, false) : null;
            Integer unit = s.integer(MeterSettings.RTU_UNIT_ID, false);
            RegisterSource regs = registers(s);
            Duration timeout = s.duration(MeterSettings.TIMEOUT, false);
            Integer retries = s.integer(MeterSettings.RETRIES, false);
            return anyNull(device, baud, parity, stop, unit, regs, timeout, retries) ? null
                    : new MeterConnection.ModbusRtu(Path.of(device), baud, parity, stop, Optional.ofNullable(gap),
                    unit, regs, timeout, retries);
        }

        MeterConnection sunSpec(Section s) {
            String host = s.string("host", null, true);
            Integer port = s.integer(MeterSettings.TCP_PORT, false);
            Integer unit = s.integer(MeterSettings.TCP_UNIT_ID, false);
            Duration timeout = s.duration(MeterSettings.TIMEOUT, false);
            Integer retries = s.integer(MeterSettings.RETRIES, false);
            return anyNull(host, port, unit, timeout, retries) ? null
                    : new MeterConnection.SunSpec(host, port, unit, timeout, retries);
        }

        MeterConnection s0(Section s) {
            Integer pin = s.integer(MeterSettings.GPIO_PIN, true);
            Pull pull = s.choice("pull", Pull.class, Pull.UP, false);
            Edge edge = s.choice("edge", Edge.class, Edge.FALLING, false);
            Duration debounce = s.duration(MeterSettings.DEBOUNCE, false);
            Integer ppk = s.integer(MeterSettings.PULSES_PER_KWH, true);
            return anyNull(pin, pull, edge, debounce, ppk) ? null
                    : new MeterConnection.S0(pin, pull, edge, debounce, ppk);
        }

        MeterConnection p1(Section s) {
            String device = s.string("device", null, true);
            Integer baud = s.integer(MeterSettings.P1_BAUD, false);
            Duration timeout = s.duration(MeterSettings.TELEGRAM_TIMEOUT, false);
            return anyNull(device, baud, timeout) ? null : new MeterConnection.P1(Path.of(device), baud, timeout);
        }

        MeterConnection simulated(Section s) {
            SimKind kind = s.choice("kind", SimKind.class, null, true);
            Long seed = s.longInteger("seed", 1L, false, Long.MIN_VALUE, Long.MAX_VALUE);
            IntSetting peakPower = MeterSettings.PEAK_POWER_W;
            Double peak = s.watts(peakPower.key(), (double) peakPower.defaultValue(), false, peakPower.min(), peakPower.max());
            return anyNull(kind, seed, peak) ? null : new MeterConnection.Simulated(kind, seed, peak);
        }

        RegisterSource registers(Section s) {
            boolean hasProfile = s.has("profile");
            boolean hasMap = s.has("registers");
            if (hasProfile && hasMap) {
                s.error("registers", "expected either profile or registers, found both");
                return null;
            }
            if (!hasProfile && !hasMap) {
                s.errorHere("expected a profile (e.g. profile: sdm630) or an inline registers list, found neither");
                return null;
            }
            if (hasProfile) {
                String p = s.matching("profile", null, true, PROFILE,
                        "a profile name of lower-case letters, digits, '-' or '_' (e.g. sdm630)");
                if (p != null && !Profiles.builtInNames().contains(p)) {
                    String near = Section.nearest(p, Profiles.builtInNames());
                    s.error("profile", "expected a profile of the library (eiedge meters profiles lists them), found "
                            + Section.quote(p) + (near != null ? "; did you mean \"" + near + "\"?" : ""));
                    return null;
                }
                return p == null ? null : new RegisterSource.Profile(p);
            }
            List<Node> items = s.list("registers", true);
            if (items == null) return null;
            if (items.isEmpty()) {
                s.error("registers", "expected at least one register, found an empty list");
                return null;
            }
            List<RegisterSpec> specs = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < items.size(); i++) {
                Section r = new Section(problems, s.child("registers") + "[" + i + "]", items.get(i), items.get(i));
                RegisterSpec spec = register(r);
                r.finish();
                if (spec == null) ok = false;
                else specs.add(spec);
            }
            return ok ? new RegisterSource.Inline(specs) : null;
        }

        RegisterSpec register(Section r) {
            Integer address = r.integer("address", null, true, 0, 65535);
            RegisterType type = r.choice("register-type", RegisterType.class, RegisterType.HOLDING, false);
            DataType data = r.choice("data-type", DataType.class, null, true);
            WordOrder order = r.choice("word-order", WordOrder.class, WordOrder.ABCD, false);
            Integer scaler = r.integer("scaler", 0, false, -10, 10);
            String obis = r.string("obis", null, true);
            if (obis != null && !validObis(obis)) {
                r.error("obis", "expected an OBIS code A-B:C.D.E with numbers 0-255, such as 1-0:1.8.0, found "
                        + Section.quote(obis));
                obis = null;
            }
            String unit = r.string("unit", null, true);
            if (unit != null && !UNITS.contains(unit)) {
                r.error("unit", "expected a SenML unit (" + String.join(", ", UNITS.stream().sorted().toList())
                        + "), found " + Section.quote(unit));
                unit = null;
            }
            if (address != null && data != null && address + data.registers() - 1 > 65535) {
                r.error("address", "a " + data.configName() + " at " + address + " runs past register 65535");
                address = null;
            }
            return anyNull(address, type, data, order, scaler, obis, unit) ? null
                    : new RegisterSpec(address, type, data, order, scaler, obis, unit);
        }

        static boolean validObis(String code) {
            var m = OBIS.matcher(code);
            if (!m.matches()) return false;
            for (int g = 1; g <= 5; g++) {
                if (Integer.parseInt(m.group(g)) > 255) return false;
            }
            return true;
        }

        LedgerConfig ledger(Section s) {
            String dir = s.string("data-dir", LedgerConfig.DEFAULT_DATA_DIR.toString(), false);
            Section block = s.section("block", false);
            Integer maxReadings = block.integer("max-readings", LedgerConfig.DEFAULT_BLOCK_MAX_READINGS, false, 1, 1_000_000);
            Duration maxAge = block.duration("max-age", LedgerConfig.DEFAULT_BLOCK_MAX_AGE, false,
                    Duration.ofSeconds(1), Duration.ofDays(1));
            block.finish();
            Section retention = s.section("retention", false);
            Duration keep = retention.duration("readings", LedgerConfig.DEFAULT_RETENTION, false,
                    Duration.ofHours(1), Duration.ofDays(36_500));
            Long cap = retention.bytes("max-size", null, 1L << 20, Long.MAX_VALUE);
            retention.finish();
            s.finish();
            return anyNull(dir, maxReadings, maxAge, keep) ? null : new LedgerConfig(Path.of(dir), maxReadings, maxAge,
                    keep, cap == null ? OptionalLong.empty() : OptionalLong.of(cap));
        }

        MqttConfig mqtt(Section s) {
            Boolean insecure = s.bool("insecure", false);
            URI broker = broker(s, insecure);
            String prefix = s.matching("topic-prefix", MqttConfig.DEFAULT_TOPIC_PREFIX, false, TOPIC_PREFIX,
                    "topic levels without wildcards or empty levels, such as ei/v1");
            Section outbox = s.section("outbox", false);
            Long maxBytes = outbox.bytes("max-size", MqttConfig.Outbox.DEFAULT_MAX_BYTES, 64L * 1024, Long.MAX_VALUE);
            MqttConfig.FullPolicy policy = outbox.choice("when-full", MqttConfig.FullPolicy.class,
                    MqttConfig.FullPolicy.DROP_OLDEST, false);
            outbox.finish();
            Double rate = s.number("drain-rate", MqttConfig.DEFAULT_DRAIN_RATE, 0, 100_000);
            Duration keepAlive = s.duration("keepalive", MqttConfig.DEFAULT_KEEP_ALIVE, false,
                    Duration.ofSeconds(5), Duration.ofMinutes(30));
            Section reconnect = s.section("reconnect", false);
            Duration min = reconnect.duration("min", MqttConfig.DEFAULT_RECONNECT_MIN, false,
                    Duration.ofMillis(100), Duration.ofHours(1));
            Duration max = reconnect.duration("max", MqttConfig.DEFAULT_RECONNECT_MAX, false,
                    Duration.ofMillis(100), Duration.ofHours(1));
            if (min != null && max != null && max.compareTo(min) < 0) {
                reconnect.error("max", "expected at least reconnect.min (" + Quantities.format(min) + "), found "
                        + Quantities.format(max));
                max = null;
            }
            reconnect.finish();
            s.finish();
            return anyNull(insecure, broker, prefix, maxBytes, policy, rate, keepAlive, min, max) ? null
                    : new MqttConfig(broker, prefix, insecure, new MqttConfig.Outbox(maxBytes, policy), rate,
                    keepAlive, min, max);
        }

        URI broker(Section s, Boolean insecure) {
            String text = s.string("broker", null, true);
            if (text == null) return null;
            String expectation = "a broker URL such as ssl://broker.example:8883";
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                s.error("broker", "expected " + expectation + ", found " + Section.quote(text));
                return null;
            }
            if (uri.getHost() == null || !(uri.getPath() == null || uri.getPath().isEmpty())
                    || !("ssl".equals(uri.getScheme()) || "tcp".equals(uri.getScheme()))) {
                s.error("broker", "expected " + expectation + ", found " + Section.quote(text));
                return null;
            }
            if ("tcp".equals(uri.getScheme()) && !Boolean.TRUE.equals(insecure)) {
                s.error("broker", "plain tcp:// needs mqtt.insecure: true; expected " + expectation
                        + ", found " + Section.quote(text));
                return null;
            }
            return uri;
        }

        CoapConfig coap(Section s, DeviceConfig device) {
            Integer port = s.integer("port", CoapConfig.DEFAULT_PORT, false, 1, 65535);
            Boolean insecure = s.bool("insecure", false);
            Boolean multicast = s.bool("multicast", false);
            List<Node> items = s.list("peers", false);
            List<CoapConfig.Peer> peers = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < Section.orEmpty(items).size(); i++) {
                Node item = items.get(i);
                Section p = new Section(problems, s.child("peers") + "[" + i + "]", item, item);
                String id = p.matching("id", null, true, ID, ID_EXPECTATION);
                String uriText = p.string("uri", null, true);
                URI uri = null;
                if (uriText != null) {
                    try {
                        uri = new URI(uriText);
                        boolean coaps = "coaps".equals(uri.getScheme());
                        boolean coap = "coap".equals(uri.getScheme());
                        if (uri.getHost() == null || !(coaps || coap)) {
                            p.error("uri", "expected a peer URI such as coaps://192.168.1.20:5684, found "
                                    + Section.quote(uriText));
                            uri = null;
                        } else if (coap && !Boolean.TRUE.equals(insecure)) {
                            p.error("uri", "plain coap:// needs coap.insecure: true; expected coaps://, found "
                                    + Section.quote(uriText));
                            uri = null;
                        }
                    } catch (URISyntaxException e) {
                        p.error("uri", "expected a peer URI such as coaps://192.168.1.20:5684, found "
                                + Section.quote(uriText));
                    }
                }
                if (id != null && device != null && id.equals(device.id())) {
                    p.error("id", "a device cannot be its own peer, found " + Section.quote(id));
                    id = null;
                }
                if (id != null) {
                    Integer first = seen.putIfAbsent(id, p.keyNode("id").getStartMark().map(m -> m.getLine() + 1).orElse(0));
                    if (first != null) {
                        p.error("id", "duplicate peer id " + Section.quote(id) + " (first defined at line " + first + ")");
                        id = null;
                    }
                }
                p.finish();
                if (id == null || uri == null) ok = false;
                else peers.add(new CoapConfig.Peer(id, uri));
            }
            s.finish();
            return anyNull(port, insecure, multicast) || !ok || (items == null && s.has("peers")) ? null
                    : new CoapConfig(port, insecure, peers, multicast);
        }

        WebConfig web(Section s) {
            Optional<InetSocketAddress> listen = listen(s);
            Boolean tls = s.bool("tls", false);
            Boolean clientCert = s.bool("require-client-cert", false);
            Integer max = s.integer("max-connections", WebConfig.DEFAULT_MAX_CONNECTIONS, false, 1, 64);
            if (Boolean.TRUE.equals(clientCert) && Boolean.FALSE.equals(tls)) {
                s.error("require-client-cert", "a client certificate is asked for in the TLS handshake, so this needs web.tls: true; found tls off");
                clientCert = null;
            }
            s.finish();
            return anyNull(listen, tls, clientCert, max) ? null : new WebConfig(listen, tls, clientCert, max);
        }

        /** {@code HOST:PORT} (an IPv6 host in brackets), or {@code ""} for no web server; null when wrong (reported). */
        private Optional<InetSocketAddress> listen(Section s) {
            Node n = s.node("listen");
            String text = n == null ? WebConfig.DEFAULT_LISTEN
                    : n instanceof org.snakeyaml.engine.v2.nodes.ScalarNode sc
                    && !sc.getTag().equals(org.snakeyaml.engine.v2.nodes.Tag.NULL) ? sc.getValue() : null;
            String expectation = "an address and port such as 127.0.0.1:8080, [::1]:8080 or 192.168.1.10:8443, or \"\" for no web page";
            if (text == null) {
                s.error("listen", "expected " + expectation + ", found " + Section.found(n));
                return null;
            }
            if (text.isEmpty()) {
                return Optional.empty();
            }
            Matcher m = LISTEN.matcher(text);
            if (!m.matches()) {
                s.error("listen", "expected " + expectation + ", found " + Section.quote(text));
                return null;
            }
            String host = m.group(1) != null ? m.group(1) : m.group(2);
            int port;
            try {
                port = Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                s.error("listen", "expected a port from 1 to 65535, found " + Section.quote(text));
                return null;
            }
            if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
                // a name would be resolved once at start and silently mean another address later
                s.error("listen", "expected a numeric address (the listener binds one address, not a name), found "
                        + Section.quote(text));
                return null;
            }
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                s.error("listen", "expected " + expectation + ", found " + Section.quote(text));
                return null;
            }
            return Optional.of(a);
        }

        LoggingConfig logging(Section s) {
            LoggingConfig.Level level = s.choice("level", LoggingConfig.Level.class, LoggingConfig.Level.INFO, false);
            String file = s.string("file", null, false);
            Long size = s.bytes("rolling-size", LoggingConfig.DEFAULT_ROLLING_SIZE, 64L * 1024, 1L << 30);
            Integer keep = s.integer("keep", LoggingConfig.DEFAULT_KEEP, false, 1, 100);
            s.finish();
            return anyNull(level, size, keep) ? null
                    : new LoggingConfig(level, Optional.ofNullable(file).map(Path::of), size, keep);
        }

        private static boolean anyNull(Object... values) {
            for (Object v : values) {
                if (v == null) return true;
            }
            return false;
        }
    }
}
