package io.eiedge.runtime.web;

import io.eiedge.runtime.node.NodeStatus;

import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code /metrics}: Prometheus text exposition format 0.0.4, written by hand from one
 * {@link NodeStatus} snapshot (so every value agrees with {@code /api/status} of the same moment)
 * plus the fsync histogram. Families and their labels are listed in edge-runtime's README.
 *
 * <p>Why not the Prometheus Java client: its registry, collectors and exposition modules exist to
 * gather values scattered across an application; ours are already gathered in the snapshot, so
 * the library would add jars to the Pi and a second copy of every value for ~150 lines of
 * string formatting. {@code promtool check metrics} checks the output in the tests.
 */
public final class MetricsText {
    /** The exposition format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    private MetricsText() {
    }

    public static String render(NodeStatus s, LatencyHistogram.Snapshot fsync) {
        MetricsText m = new MetricsText();
        m.write(s, fsync);
        return m.out.toString();
    }

    private void write(NodeStatus s, LatencyHistogram.Snapshot fsync) {
        family("eiedge_info", "gauge", "The device: id, subnet, role and key fingerprint (always 1).");
        sample("eiedge_info", labels("device", s.device(), "subnet", s.subnet(), "role", s.role(),
                "key_fingerprint", s.identity().keyFingerprint()), 1);
        family("eiedge_problems", "gauge", "How many problems the status page shows in its banner (0: all well).");
        sample("eiedge_problems", "", s.problems().size());

        family("eiedge_meter_reads_total", "counter", "Reads of each meter since start, failed ones included.");
        s.meters().forEach(x -> sample("eiedge_meter_reads_total", labels("meter", x.id()), x.reads()));
        family("eiedge_meter_read_failures_total", "counter", "Failed reads of each meter since start, by what went wrong.");
        s.meters().forEach(x -> x.failuresByKind().forEach((kind, n) ->
                sample("eiedge_meter_read_failures_total", labels("meter", x.id(), "kind", kind), n)));
        family("eiedge_meter_consecutive_failures", "gauge", "Failed reads in a row (0: the meter answers).");
        s.meters().forEach(x -> sample("eiedge_meter_consecutive_failures", labels("meter", x.id()), x.consecutiveFailures()));
        family("eiedge_meter_backoff_seconds", "gauge", "How long the driver still leaves a failing meter alone.");
        s.meters().forEach(x -> sample("eiedge_meter_backoff_seconds", labels("meter", x.id()),
                x.backoffUntilMs() > s.timeMs() ? (x.backoffUntilMs() - s.timeMs()) / 1000.0 : 0));
        family("eiedge_meter_last_good_read_timestamp_seconds", "gauge", "When each meter last answered well (0: never).");
        s.meters().forEach(x -> sample("eiedge_meter_last_good_read_timestamp_seconds", labels("meter", x.id()),
                x.lastGoodMs() / 1000.0));
        family("eiedge_meter_quality", "gauge", "Quality bits of each meter's last sample (0 good, 16 simulated; DESIGN Readings).");
        s.meters().forEach(x -> sample("eiedge_meter_quality", labels("meter", x.id()), x.quality()));
        family("eiedge_meter_value", "gauge", "Each meter's last values, by OBIS code, in the unit of the unit label.");
        for (NodeStatus.MeterStatus x : s.meters()) {
            for (Map.Entry<String, String> v : x.values().entrySet()) {
                String[] numberAndUnit = v.getValue().split(" ", 2);
                try {
                    double value = new BigDecimal(numberAndUnit[0]).doubleValue();
                    sample("eiedge_meter_value", labels("meter", x.id(), "obis", v.getKey(),
                            "unit", numberAndUnit.length > 1 ? numberAndUnit[1] : ""), value);
                } catch (NumberFormatException e) {
                    // not a number: nothing to plot
                }
            }
        }

        family("eiedge_chain_seq", "gauge", "The newest reading's seq in this device's chain.");
        sample("eiedge_chain_seq", "", s.seq());
        family("eiedge_chain_height", "gauge", "The newest block's height in this device's chain.");
        sample("eiedge_chain_height", "", s.height());
        family("eiedge_chain_blocks_sealed_total", "counter", "Blocks sealed since the chain began (its height).");
        sample("eiedge_chain_blocks_sealed_total", "", s.height());
        family("eiedge_chain_unsealed_readings", "gauge", "Readings stored but not yet sealed into a block.");
        sample("eiedge_chain_unsealed_readings", "", s.unsealed());
        family("eiedge_chain_last_seal_timestamp_seconds", "gauge", "When the newest block was sealed.");
        sample("eiedge_chain_last_seal_timestamp_seconds", "", s.lastSealMs() / 1000.0);

        family("eiedge_fsync_duration_seconds", "histogram", "How long each fsync of the ledger's logs took.");
        for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
            sample("eiedge_fsync_duration_seconds_bucket", labels("le", number(LatencyHistogram.BOUNDS[i])),
                    fsync.cumulative()[i]);
        }
        sample("eiedge_fsync_duration_seconds_bucket", labels("le", "+Inf"), fsync.count());
        sample("eiedge_fsync_duration_seconds_sum", "", fsync.sumSeconds());
        sample("eiedge_fsync_duration_seconds_count", "", fsync.count());

        family("eiedge_outbox_depth", "gauge", "Readings stored but not yet acknowledged by the broker.");
        sample("eiedge_outbox_depth", "", s.outboxDepth());
        family("eiedge_outbox_published_total", "counter", "Readings and headers the broker acknowledged since start (rate() is the publish rate).");
        sample("eiedge_outbox_published_total", "", s.publishedMessages());
        family("eiedge_outbox_skipped_total", "counter", "Readings not sent upstream because the outbox was full (they stay in the chain).");
        sample("eiedge_outbox_skipped_total", "", s.skippedByCap());
        family("eiedge_mqtt_connected", "gauge", "1 while the broker link is up.");
        sample("eiedge_mqtt_connected", "", s.mqttConnected() ? 1 : 0);

        family("eiedge_peer_verified_height", "gauge", "Each peer's newest header this node verified (-1: none).");
        s.peers().forEach(p -> sample("eiedge_peer_verified_height", labels("peer", p.id()), p.verifiedHeight()));
        family("eiedge_peer_lag_seconds", "gauge", "Age of each peer's newest verified header.");
        s.peers().stream().filter(p -> p.lagMs() >= 0)
                .forEach(p -> sample("eiedge_peer_lag_seconds", labels("peer", p.id()), p.lagMs() / 1000.0));
        family("eiedge_peer_misbehaviour_total", "counter", "Inputs refused from each peer (bad signature, wrong subnet, oversize…).");
        s.peers().forEach(p -> sample("eiedge_peer_misbehaviour_total", labels("peer", p.id()), p.misbehaviour()));
        family("eiedge_peer_state", "gauge", "Each peer's sync state (1 for the state it is in).");
        s.peers().forEach(p -> sample("eiedge_peer_state", labels("peer", p.id(), "state", p.state()), 1));

        family("eiedge_refused_inputs_total", "counter", "Inputs refused since start, by reason.");
        s.refused().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sample("eiedge_refused_inputs_total", labels("reason", e.getKey()), e.getValue()));

        family("eiedge_certificate_expiry_timestamp_seconds", "gauge", "When the device certificate expires.");
        sample("eiedge_certificate_expiry_timestamp_seconds", "", s.identity().certNotAfterMs() / 1000.0);
        if (s.identity().crlIssuedMs() >= 0) {
            family("eiedge_crl_issued_timestamp_seconds", "gauge", "thisUpdate of the newest registrar CRL held.");
            sample("eiedge_crl_issued_timestamp_seconds", "", s.identity().crlIssuedMs() / 1000.0);
        }
        family("eiedge_storage_usable_bytes", "gauge", "Free space for the ledger in the data folder's file system.");
        sample("eiedge_storage_usable_bytes", "", s.storage().usableBytes());
        family("eiedge_storage_failing", "gauge", "1 while readings cannot be stored (full disk, I/O error).");
        sample("eiedge_storage_failing", "", s.storage().problem() != null ? 1 : 0);

        family("jvm_memory_used_bytes", "gauge", "Used bytes of the JVM's memory area.");
        sample("jvm_memory_used_bytes", labels("area", "heap"), s.jvm().heapUsedBytes());
        family("jvm_memory_max_bytes", "gauge", "Maximum bytes of the JVM's memory area (-1: no limit).");
        sample("jvm_memory_max_bytes", labels("area", "heap"), s.jvm().heapMaxBytes());
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    private static String labels(String... kv) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) b.append(',');
            b.append(kv[i]).append("=\"").append(escape(kv[i + 1])).append('"');
        }
        return b.append('}').toString();
    }

    static String escape(String v) {
        return (v == null ? "" : v).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
