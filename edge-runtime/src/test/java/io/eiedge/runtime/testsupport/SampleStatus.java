package io.eiedge.runtime.testsupport;

import io.eiedge.runtime.node.NodeStatus;

import java.util.List;
import java.util.Map;

/** Status snapshots as a node would make them, for tests of what is rendered from one. */
public final class SampleStatus {
    public static final long NOW = 1_767_225_600_000L;

    private SampleStatus() {
    }

    public static NodeStatus node(List<NodeStatus.MeterStatus> meters, List<NodeStatus.PeerStatus> peers) {
        return new NodeStatus("router-07", "campus-north", "router", "running", NOW, 120, 6, "ab".repeat(32), 3, meters,
                true, 4, 0, 120, 0, peers, 0, null,
                new NodeStatus.IdentityStatus("deb2 ded3 9dc2 6fce 0e60 85b6 fc34 bf6b", NOW + 400L * 86_400_000L, NOW - 3_600_000L,
                        NOW + 86_400_000L),
                NOW - 5000, 250, null, new NodeStatus.StorageStatus(1L << 30, 8L << 30, null),
                Map.of("dtls-not-from-registrar", 2L, "peer-header", 1L), List.of(new NodeStatus.Alert(NOW - 60_000, "meter pv answers again")),
                new NodeStatus.JvmStatus(20L << 20, 64L << 20), null);
    }

    public static NodeStatus.MeterStatus meter(String id, Map<String, String> values) {
        return new NodeStatus.MeterStatus(id, 120, 0, 0, "good", NOW, values, null, Map.of(), NOW, 0, 0,
                Map.of("timeout", 0L, "communication", 0L, "out-of-range", 0L, "counter-reset", 0L));
    }

    public static NodeStatus.MeterStatus failingMeter(String id, String error) {
        return new NodeStatus.MeterStatus(id, 120, 7, 1, "timeout", NOW, Map.of(), error, Map.of(), NOW - 70_000, 7, NOW + 20_000,
                Map.of("timeout", 7L, "communication", 0L, "out-of-range", 0L, "counter-reset", 0L));
    }

    public static NodeStatus.PeerStatus peer(String id, long height, String state, String problem) {
        return new NodeStatus.PeerStatus(id, height, state, 0, problem, 12_000);
    }
}
