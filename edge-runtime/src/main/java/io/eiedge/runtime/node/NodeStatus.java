package io.eiedge.runtime.node;

import io.eiedge.runtime.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a running node: the one value {@code eiedge status}, {@code /health}, the status
 * page, {@code /api/status}, {@code /metrics} and the demo's table are all rendered from, so they
 * can never disagree. Written by the node as {@code status.json} every few seconds; the JSON
 * fields are documented in edge-runtime's README ("/api/status").
 *
 * @param lastSealMs        when the newest block was sealed
 * @param publishedMessages readings and headers the broker acknowledged since start
 * @param mqttLastFailure   why the broker link is down, null while connected
 * @param refused           inputs refused since start, by reason (DTLS handshakes, peer headers, web requests)
 * @param alerts            what happened lately, newest first (a bounded list)
 * @param webProblem        why the status page is not served (address taken, TLS material unusable), null otherwise
 */
public record NodeStatus(String device, String subnet, String role, String state, long timeMs, long seq, long height,
                         String headHash, int unsealed, List<MeterStatus> meters, boolean mqttConnected, long mqttSession,
                         long outboxDepth, long publishedSeq, long skippedByCap, List<PeerStatus> peers,
                         long refusedHandshakes, String lastProblem,
                         IdentityStatus identity, long lastSealMs, long publishedMessages, String mqttLastFailure,
                         StorageStatus storage, Map<String, Long> refused, List<Alert> alerts, JvmStatus jvm,
                         String webProblem) {

    /** A certificate this close to its end is a problem worth a banner. */
    public static final long CERT_WARNING_MS = 30L * 24 * 3600 * 1000;

    public NodeStatus {
        meters = List.copyOf(meters);
        peers = List.copyOf(peers);
        refused = Map.copyOf(refused);
        alerts = List.copyOf(alerts);
    }

    /**
     * One peer as this node sees it: newest verified height, sync state, misbehaviour count.
     *
     * @param lastProblem what went wrong with this peer last (no answer, a refused header…), null if nothing
     * @param lagMs       how old the peer's newest verified header is (now − its seal time), -1 with none
     */
    public record PeerStatus(String id, long verifiedHeight, String state, long misbehaviour, String lastProblem, long lagMs) {
    }

    /**
     * One meter: reads, failures, the last sample's quality and plain values, the last error.
     *
     * @param values              OBIS code → value in plain units ({@code "1234.5 Wh"})
     * @param names               OBIS code → what it is in words ({@code "active energy import"})
     * @param lastGoodMs          when it last answered well, 0 never
     * @param consecutiveFailures failed reads in a row
     * @param backoffUntilMs      the driver leaves the wire alone until then after repeated failures, 0 if not
     * @param failuresByKind      failed reads by what went wrong: timeout, communication, out-of-range, counter-reset
     */
    public record MeterStatus(String id, long reads, long failures, int quality, String qualityText, long lastReadMs,
                              Map<String, String> values, String lastError, Map<String, String> names, long lastGoodMs,
                              long consecutiveFailures, long backoffUntilMs, Map<String, Long> failuresByKind) {
    }

    /**
     * The device identity's health.
     *
     * @param keyFingerprint the short key fingerprint people compare by eye
     * @param certNotAfterMs when the device certificate expires
     * @param crlIssuedMs    thisUpdate of the newest registrar CRL held, -1 with none
     * @param crlNextMs      nextUpdate of that CRL, -1 when absent
     */
    public record IdentityStatus(String keyFingerprint, long certNotAfterMs, long crlIssuedMs, long crlNextMs) {
    }

    /**
     * The data folder: free space and what went wrong storing readings.
     *
     * @param problem the last storage failure (full disk, I/O error), null while writes work
     */
    public record StorageStatus(long usableBytes, long totalBytes, String problem) {
    }

    /** Something that happened: when, and what in words. */
    public record Alert(long timeMs, String text) {
    }

    /** The JVM's heap. */
    public record JvmStatus(long heapUsedBytes, long heapMaxBytes) {
    }

    /**
     * What is wrong right now, in words, for the page's banner and {@code status}: empty when all is
     * well. Derived from the snapshot, so the page and the JSON agree.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (storage.problem() != null) out.add("storage: " + storage.problem());
        for (MeterStatus m : meters) {
            if (m.consecutiveFailures() > 0) {
                out.add("meter " + m.id() + ": " + (m.lastError() != null ? m.lastError() : m.qualityText()));
            }
        }
        if (!mqttConnected) out.add("broker not connected" + (mqttLastFailure != null ? ": " + mqttLastFailure : ""));
        long left = identity.certNotAfterMs() - timeMs;
        if (left < 0) {
            out.add("device certificate expired " + (-left / 86_400_000L) + " days ago");
        } else if (left < CERT_WARNING_MS) {
            out.add("device certificate expires in " + left / 86_400_000L + " days: renew it");
        }
        if (identity.crlNextMs() > 0 && identity.crlNextMs() < timeMs) {
            out.add("the registrar CRL held is past its next update (" + (timeMs - identity.crlNextMs()) / 3_600_000L
                    + " h): revocations may be missing");
        }
        for (PeerStatus p : peers) {
            if (p.state().equals("frozen") || p.state().equals("revoked") || p.state().equals("unreachable")) {
                out.add("peer " + p.id() + " " + p.state() + (p.lastProblem() != null ? ": " + p.lastProblem() : ""));
            }
        }
        if (webProblem != null) out.add("web: " + webProblem);
        return out;
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
        m.put("lastSeal", lastSealMs);
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
            mm.put("names", x.names());
            mm.put("lastGood", x.lastGoodMs());
            mm.put("consecutiveFailures", x.consecutiveFailures());
            mm.put("backoffUntil", x.backoffUntilMs());
            mm.put("failuresByKind", x.failuresByKind());
            ms.add(mm);
        }
        m.put("meters", ms);
        Map<String, Object> mqtt = new LinkedHashMap<>();
        mqtt.put("connected", mqttConnected);
        mqtt.put("session", mqttSession);
        mqtt.put("lastFailure", mqttLastFailure);
        m.put("mqtt", mqtt);
        Map<String, Object> outbox = new LinkedHashMap<>();
        outbox.put("depth", outboxDepth);
        outbox.put("publishedSeq", publishedSeq);
        outbox.put("skippedByCap", skippedByCap);
        outbox.put("published", publishedMessages);
        m.put("outbox", outbox);
        List<Object> ps = new ArrayList<>();
        for (PeerStatus p : peers) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("id", p.id());
            pm.put("verifiedHeight", p.verifiedHeight());
            pm.put("state", p.state());
            pm.put("misbehaviour", p.misbehaviour());
            pm.put("lastProblem", p.lastProblem());
            pm.put("lag", p.lagMs());
            ps.add(pm);
        }
        m.put("peers", ps);
        m.put("refusedHandshakes", refusedHandshakes);
        m.put("lastProblem", lastProblem);
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("keyFingerprint", identity.keyFingerprint());
        id.put("certNotAfter", identity.certNotAfterMs());
        id.put("certDaysLeft", Math.floorDiv(identity.certNotAfterMs() - timeMs, 86_400_000L));
        id.put("crlIssued", identity.crlIssuedMs());
        id.put("crlNextUpdate", identity.crlNextMs());
        m.put("identity", id);
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("usableBytes", storage.usableBytes());
        st.put("totalBytes", storage.totalBytes());
        st.put("problem", storage.problem());
        m.put("storage", st);
        m.put("webProblem", webProblem);
        m.put("refused", new java.util.TreeMap<>(refused));
        List<Object> as = new ArrayList<>();
        for (Alert a : alerts) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("time", a.timeMs());
            am.put("text", a.text());
            as.add(am);
        }
        m.put("alerts", as);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("heapUsed", jvm.heapUsedBytes());
        j.put("heapMax", jvm.heapMaxBytes());
        m.put("jvm", j);
        m.put("problems", problems());
        return Json.write(m);
    }
}
