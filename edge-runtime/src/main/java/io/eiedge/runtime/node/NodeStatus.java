package io.eiedge.runtime.node;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a running node for {@code eiedge status}, {@code /health} and the demo's table.
 * Written by the node as {@code status.json} in its data folder every few seconds.
 */
public record NodeStatus(String device, String subnet, String role, String state, long timeMs, long seq, long height,
                         String headHash, int unsealed, List<MeterStatus> meters, boolean mqttConnected, long mqttSession,
                         long outboxDepth, long publishedSeq, long skippedByCap, String lastProblem) {

    /** One meter: reads, failures, the last sample's quality and plain values, the last error. */
    public record MeterStatus(String id, long reads, long failures, int quality, String qualityText, long lastReadMs,
                              Map<String, String> values, String lastError) {
    }

    public String toJson() {
        StringBuilder b = new StringBuilder(512).append('{');
        field(b, "device", device).append(',');
        field(b, "subnet", subnet).append(',');
        field(b, "role", role).append(',');
        field(b, "state", state).append(',');
        b.append("\"time\":").append(timeMs).append(',');
        b.append("\"seq\":").append(seq).append(',');
        b.append("\"height\":").append(height).append(',');
        field(b, "head", headHash).append(',');
        b.append("\"unsealed\":").append(unsealed).append(',');
        b.append("\"meters\":[");
        for (int i = 0; i < meters.size(); i++) {
            MeterStatus m = meters.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append('{');
            field(b, "id", m.id()).append(',');
            b.append("\"reads\":").append(m.reads()).append(",\"failures\":").append(m.failures())
                    .append(",\"quality\":").append(m.quality()).append(',');
            field(b, "qualityText", m.qualityText()).append(',');
            b.append("\"lastRead\":").append(m.lastReadMs()).append(",\"values\":{");
            int j = 0;
            for (var e : m.values().entrySet()) {
                if (j++ > 0) {
                    b.append(',');
                }
                field(b, e.getKey(), e.getValue());
            }
            b.append("},");
            field(b, "lastError", m.lastError()).append('}');
        }
        b.append("],\"mqtt\":{\"connected\":").append(mqttConnected).append(",\"session\":").append(mqttSession).append("},");
        b.append("\"outbox\":{\"depth\":").append(outboxDepth).append(",\"publishedSeq\":").append(publishedSeq)
                .append(",\"skippedByCap\":").append(skippedByCap).append("},");
        field(b, "lastProblem", lastProblem);
        return b.append('}').toString();
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        quote(b, name).append(':');
        return value == null ? b.append("null") : quote(b, value);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
