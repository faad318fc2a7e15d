package io.eiedge.bench.footprint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's eiedge.yaml for a footprint run: N simulated meters at 1 Hz (pv, load, battery,
 * heat in turn), plain MQTT to the loopback broker, CoAP with DTLS on a free UDP port, the
 * default block policy and retention, and only the keys an option asked for beyond that — so a
 * build that does not know {@code ledger.sync-interval} or {@code web.listen} still runs when
 * they are not asked for, and says which option it cannot honour when they are.
 */
final class BenchConfig {
    static final String DEVICE = "bench-node";
    static final String SUBNET = "bench";

    /** Config key → the bench option that writes it. */
    private static final Map<String, String> OPTION_OF_KEY = Map.of(
            "ledger.sync-interval", "--sync-interval", "coap.enabled", "--coap off", "web", "--web", "web.listen", "--web");
    private static final Pattern UNKNOWN_KEY = Pattern.compile(":\\d+:\\d+: (\\S+): unknown key");
    private static final List<String> KINDS = List.of("pv", "load", "battery", "heat");

    private BenchConfig() {
    }

    static String yaml(FootprintOptions o, Path identityDir, Path dataDir, String brokerUrl, int coapPort, int webPort) {
        StringBuilder y = new StringBuilder();
        y.append("# footprint bench: ").append(o.meters()).append(" simulated meters at 1 Hz\n");
        y.append("device:\n  id: ").append(DEVICE).append("\n  subnet: ").append(SUBNET).append("\n  role: router\n");
        y.append("identity:\n  dir: ").append(identityDir).append('\n');
        y.append("meters:\n");
        for (int i = 0; i < o.meters(); i++) {
            y.append(String.format("  - id: m%02d%n    type: simulated%n    kind: %s%n    seed: %d%n    peak-power: 5kW%n"
                    + "    poll-interval: 1s%n", i, KINDS.get(i % KINDS.size()), i + 1));
        }
        y.append("ledger:\n  data-dir: ").append(dataDir).append('\n');
        o.syncInterval().ifPresent(s -> y.append("  sync-interval: ").append(s).append('\n'));
        y.append("mqtt:\n  broker: ").append(brokerUrl).append("\n  insecure: true\n");
        y.append("coap:\n  port: ").append(coapPort).append('\n');
        if (!o.coap()) {
            y.append("  enabled: false\n");
        }
        o.web().ifPresent(on -> y.append("web:\n  listen: ").append(on ? "\"127.0.0.1:" + webPort + "\"" : "\"\"").append('\n'));
        return y.toString();
    }

    /**
     * The options the running build refused as unknown keys, from {@code eiedge config check}'s
     * "FILE:LINE:COL: KEY: unknown key; …" lines, e.g. "--sync-interval (ledger.sync-interval)".
     */
    static List<String> unsupportedOptions(String checkOutput) {
        List<String> out = new ArrayList<>();
        Matcher m = UNKNOWN_KEY.matcher(checkOutput);
        while (m.find()) {
            String key = m.group(1);
            out.add(OPTION_OF_KEY.getOrDefault(key, "?") + " (" + key + ")");
        }
        return out;
    }
}
