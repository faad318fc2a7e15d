package io.eiedge.runtime.cli;

import io.eiedge.runtime.node.NodeStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eiedge status} as the technician reads it, from the JSON a node writes. */
class StatusTextTest {
    @Test
    void peersShowTheirHeightStateAndWhatWentWrongLast() {
        NodeStatus status = new NodeStatus("router-07", "campus-north", "router", "running", 1_767_225_600_000L, 120, 6,
                "ab".repeat(32), 3, List.of(new NodeStatus.MeterStatus("grid", 120, 0, 0, "good", 1_767_225_600_000L,
                Map.of("1-0:1.8.0", "1234 Wh"), null)), true, 4, 0, 120, 0,
                List.of(new NodeStatus.PeerStatus("exchange-01", 14, "following", 0, null),
                        new NodeStatus.PeerStatus("router-09", 3, "synced", 0,
                                "no header range within 30000 ms")),
                0, null);
        String text = StatusText.render(status.toJson());
        String peers = text.lines().filter(l -> l.startsWith("peers")).findFirst().orElseThrow();
        assertTrue(peers.contains("exchange-01 height 14 following;"), text);
        assertTrue(peers.contains("router-09 height 3 synced (last problem: no header range within 30000 ms)"), text);
        assertFalse(peers.contains("exchange-01 height 14 following (last problem"), text);
    }
}
