package io.eiedge.runtime.web;

import io.eiedge.runtime.node.NodeStatus;
import io.eiedge.runtime.testsupport.SampleStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exposition text itself; promtool checks a live node's in MetricsIT. */
class MetricsTextTest {

    @Test
    void fsyncBucketsAreCumulativeAndEndInInfEqualToTheCount() {
        LatencyHistogram h = new LatencyHistogram();
        h.synced(200_000);        // 0.2 ms
        h.synced(3_000_000);      // 3 ms
        h.synced(3_000_000);
        h.synced(9_000_000_000L); // 9 s: beyond the last bound
        String text = MetricsText.render(SampleStatus.node(List.of(), List.of()), h.snapshot());
        assertTrue(text.contains("eiedge_fsync_duration_seconds_bucket{le=\"0.0005\"} 1\n"), text);
        assertTrue(text.contains("eiedge_fsync_duration_seconds_bucket{le=\"0.0025\"} 1\n"), text);
        assertTrue(text.contains("eiedge_fsync_duration_seconds_bucket{le=\"0.005\"} 3\n"), text);
        assertTrue(text.contains("eiedge_fsync_duration_seconds_bucket{le=\"5\"} 3\n"), text);
        assertTrue(text.contains("eiedge_fsync_duration_seconds_bucket{le=\"+Inf\"} 4\n"), text);
        assertTrue(text.contains("eiedge_fsync_duration_seconds_count 4\n"), text);
        assertTrue(text.contains("eiedge_fsync_duration_seconds_sum 9.0062\n"), text);
    }

    @Test
    void labelValuesFromOutsideCannotBreakTheFormat() {
        NodeStatus s = SampleStatus.node(List.of(SampleStatus.meter("a\"b\\c\nd", Map.of("1-0:1.8.0", "12.5 Wh"))), List.of());
        String text = MetricsText.render(s, new LatencyHistogram().snapshot());
        assertTrue(text.contains("eiedge_meter_value{meter=\"a\\\"b\\\\c\\nd\",obis=\"1-0:1.8.0\",unit=\"Wh\"} 12.5\n"), text);
        text.lines().filter(l -> !l.startsWith("#")).forEach(l -> assertTrue(l.matches("[a-z_]+(\\{.*})? [-+0-9.eInfa]+"), l));
    }

    @Test
    void aFailingMeterIsCountedByKindAndItsBackoffShown() {
        NodeStatus s = SampleStatus.node(List.of(SampleStatus.failingMeter("heat", "no answer")), List.of(SampleStatus.peer("exchange-01", 14, "following", null)));
        String text = MetricsText.render(s, new LatencyHistogram().snapshot());
        assertTrue(text.contains("eiedge_meter_read_failures_total{meter=\"heat\",kind=\"timeout\"} 7\n"), text);
        assertTrue(text.contains("eiedge_meter_backoff_seconds{meter=\"heat\"} 20\n"), text);
        assertTrue(text.contains("eiedge_peer_lag_seconds{peer=\"exchange-01\"} 12\n"), text);
        assertTrue(text.contains("eiedge_refused_inputs_total{reason=\"dtls-not-from-registrar\"} 2\n"), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("eiedge_problems ")).count());
        assertTrue(text.contains("eiedge_problems 1\n"), text);
    }
}
