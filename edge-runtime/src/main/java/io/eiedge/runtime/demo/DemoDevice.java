package io.eiedge.runtime.demo;

import java.util.List;

/** One simulated device of the demo subnet: its id, role and the simulated meters it carries. */
record DemoDevice(String id, String role, List<String> meterYaml) {

    /** Router, exchange, interface, router, … with meters that suit each role. */
    static List<DemoDevice> subnet(int nodes, String pollInterval) {
        List<DemoDevice> out = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            int n = i / 3 + 1;
            out.add(switch (i % 3) {
                case 0 -> new DemoDevice(String.format("router-%02d", n), "router", List.of(
                        meter("grid", "load", 11 + i, "4kW", pollInterval), meter("pv", "pv", 23 + i, "6kW", pollInterval),
                        meter("battery", "battery", 29 + i, "3kW", pollInterval), meter("heatpump", "heat", 31 + i, "5kW", pollInterval)));
                case 1 -> new DemoDevice(String.format("exchange-%02d", n), "exchange", List.of(
                        meter("battery", "battery", 37 + i, "3kW", pollInterval), meter("feeder", "load", 41 + i, "9kW", pollInterval)));
                default -> new DemoDevice(String.format("interface-%02d", n), "interface", List.of(
                        meter("heat", "heat", 53 + i, "12kW", pollInterval)));
            });
        }
        return out;
    }

    private static String meter(String id, String kind, long seed, String peak, String pollInterval) {
        return "  - id: " + id + "\n    type: simulated\n    kind: " + kind + "\n    seed: " + seed
                + "\n    peak-power: " + peak + "\n    poll-interval: " + pollInterval + "\n";
    }
}
