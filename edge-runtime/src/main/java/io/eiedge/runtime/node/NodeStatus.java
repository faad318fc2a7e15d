package io.eiedge.runtime.node;

import io.eiedge.runtime.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a running node for {@code eiedge status}, {@code /health} and the demo's table.
 * Written by the node as {@code status.json} in its data folder every few seconds.
 */
public record NodeStatus(String device, String subnet, String role, String state, long timeMs, long seq, long height,
                         String headHash, int unsealed, List<MeterStatus> meters, boolean mqttConnected, long mqttSession,
                         long outboxDepth, long publishedSeq, long skippedByCap, List<PeerStatus> peers,
                         long refusedHandshakes, String lastProblem) {

    /**
     * One peer as this node sees it: newest verified height, sync state, misbehaviour count.
     *
     * @param lastProblem what went wrong with this peer last (no answer, a refused header…), null if nothing
     */
    public record PeerStatus(String id, long verifiedHeight, String state, long misbehaviour, String lastProblem) {
    }

    /** One meter: reads, failures, the last sample's quality and plain values, the last error. */
    public record MeterStatus(String id, long reads, long failures, int quality, String qualityText, long lastReadMs,
                              Map<String, String> values, String lastError) {
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", device);
        m.put("subnet", subnet);
        m.put("role", role);
        m.put("state", state);
        m.put("time", timeMs);
        m.put("seq", seq);
        m.put("height", height);
        m.put("head", headHash);
        m.put("unsealed", unsealed);
        List<Object> ms = new ArrayList<>();
        for (MeterStatus x : meters) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("id", x.id());
            mm.put("reads", x.reads());
            mm.put("failures", x.failures());
            mm.put("quality", x.quality());
            mm.put("qualityText", x.qualityText());
            mm.put("lastRead", x.lastReadMs());
            mm.put("values", x.values());
            mm.put("lastError", x.lastError());
            ms.add(mm);
        }
        m.put("meters", ms);
        Map<String, Object> mqtt = new LinkedHashMap<>();
        mqtt.put("connected", mqttConnected);
        mqtt.put("session", mqttSession);
        m.put("mqtt", mqtt);
        Map<String, Object> outbox = new LinkedHashMap<>();
        outbox.put("depth", outboxDepth);
        outbox.put("publishedSeq", publishedSeq);
        outbox.put("skippedByCap", skippedByCap);
        m.put("outbox", outbox);
        List<Object> ps = new ArrayList<>();
        for (PeerStatus p : peers) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("id", p.id());
            pm.put("verifiedHeight", p.verifiedHeight());
            pm.put("state", p.state());
            pm.put("misbehaviour", p.misbehaviour());
            pm.put("lastProblem", p.lastProblem());
            ps.add(pm);
        }
        m.put("peers", ps);
        m.put("refusedHandshakes", refusedHandshakes);
        m.put("lastProblem", lastProblem);
        return Json.write(m);
    }
}
