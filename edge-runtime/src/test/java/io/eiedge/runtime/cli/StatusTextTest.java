package io.eiedge.runtime.cli;

import io.eiedge.runtime.node.NodeStatus;
import io.eiedge.runtime.testsupport.SampleStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eiedge status} as the technician reads it, from the JSON a node writes. */
class StatusTextTest {
    @Test
    void peersShowTheirHeightStateAndWhatWentWrongLast() {
        NodeStatus status = SampleStatus.node(List.of(SampleStatus.meter("grid", Map.of("1-0:1.8.0", "1234 Wh"))),
                List.of(SampleStatus.peer("exchange-01", 14, "following", null),
                        SampleStatus.peer("router-09", 3, "synced", "no header range within 30000 ms")));
        String text = StatusText.render(status.toJson());
        String peers = text.lines().filter(l -> l.startsWith("peers")).findFirst().orElseThrow();
        assertTrue(peers.contains("exchange-01 height 14 following;"), text);
        assertTrue(peers.contains("router-09 height 3 synced (last problem: no header range within 30000 ms)"), text);
        assertFalse(peers.contains("exchange-01 height 14 following (last problem"), text);
    }

    @Test
    void theIdentityLineShowsTheFingerprintAndDaysToExpiryAndProblemsAreListed() {
        NodeStatus status = SampleStatus.node(List.of(SampleStatus.failingMeter("heat", "no answer within 1000 ms")), List.of());
        String text = StatusText.render(status.toJson());
        assertTrue(text.contains("identity key deb2 ded3 9dc2 6fce 0e60 85b6 fc34 bf6b, certificate expires in 400 days"), text);
        assertTrue(text.contains("problem meter heat: no answer within 1000 ms"), text);
    }
}
