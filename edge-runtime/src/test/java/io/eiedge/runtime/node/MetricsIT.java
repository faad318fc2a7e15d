package io.eiedge.runtime.node;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.drivers.MeterFactory;
import io.eiedge.runtime.testsupport.FreePorts;
import io.eiedge.runtime.testsupport.Mosquitto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} of a running node passes Debian's {@code promtool check metrics} (format and
 * naming lint) and says what {@code /api/status} says; the endpoints refuse to be written to.
 */
class MetricsIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void metricsPassPromtoolAndAgreeWithTheStatusJson() throws Exception {
        TestDevices devices = new TestDevices(dir);
        var router = devices.issue("router-01", "router");
        int port = FreePorts.tcp();
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             MeterFactory meters = TestDevices.meterFactory(dir)) {
            EdgeNode node = StatusPageIT.node(devices, router, broker, meters, StatusPageIT.loopback(port));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while ((node.status().height() < 1 || node.status().meters().stream().anyMatch(m -> m.reads() < 3))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                String live = get(port, "/metrics").body();
                assertTrue(live.contains("eiedge_fsync_duration_seconds_count"), live);

                // meters stopped, everything published: status and metrics stand still and can be compared
                assertTrue(node.quiesce(Duration.ofSeconds(20)), "the outbox drains");
                HttpResponse<String> metricsResponse = get(port, "/metrics");
                String metrics = metricsResponse.body();
                CBORObject status = CBORObject.FromJSONString(get(port, "/api/status").body());
                assertEquals("text/plain; version=0.0.4; charset=utf-8", metricsResponse.headers().firstValue("Content-Type").orElseThrow());

                Path file = dir.resolve("metrics.txt");
                Files.writeString(file, metrics);
                Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                        .redirectErrorStream(true).start();
                String lint = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, promtool.waitFor(), "promtool: " + lint + "\n" + metrics);
                assertEquals("", lint.trim(), "promtool lint");

                Map<String, Double> m = parse(metrics);
                assertEquals(status.get("seq").AsInt64Value(), m.get("eiedge_chain_seq").longValue());
                assertEquals(status.get("height").AsInt64Value(), m.get("eiedge_chain_height").longValue());
                assertEquals(status.get("height").AsInt64Value(), m.get("eiedge_chain_blocks_sealed_total").longValue());
                assertEquals(status.get("outbox").get("depth").AsInt64Value(), m.get("eiedge_outbox_depth").longValue());
                assertEquals(status.get("outbox").get("published").AsInt64Value(), m.get("eiedge_outbox_published_total").longValue());
                assertTrue(m.get("eiedge_outbox_published_total") > status.get("seq").AsInt64Value(), "readings and headers published");
                assertEquals(status.get("mqtt").get("connected").AsBoolean() ? 1 : 0, m.get("eiedge_mqtt_connected").intValue());
                assertEquals(status.get("lastSeal").AsInt64Value() / 1000.0, m.get("eiedge_chain_last_seal_timestamp_seconds"), 0.001);
                assertEquals(status.get("identity").get("certNotAfter").AsInt64Value() / 1000.0,
                        m.get("eiedge_certificate_expiry_timestamp_seconds"), 0.001);
                assertEquals(status.get("problems").size(), m.get("eiedge_problems").intValue());
                for (CBORObject meter : status.get("meters").getValues()) {
                    String id = meter.get("id").AsString();
                    assertEquals(meter.get("reads").AsInt64Value(), m.get("eiedge_meter_reads_total{meter=\"" + id + "\"}").longValue(), id);
                    for (CBORObject kind : meter.get("failuresByKind").getKeys()) {
                        assertEquals(meter.get("failuresByKind").get(kind).AsInt64Value(), m.get("eiedge_meter_read_failures_total{meter=\""
                                + id + "\",kind=\"" + kind.AsString() + "\"}").longValue(), id + " " + kind.AsString());
                    }
                    for (CBORObject obis : meter.get("values").getKeys()) {
                        String[] v = meter.get("values").get(obis).AsString().split(" ");
                        assertEquals(Double.parseDouble(v[0]), m.get("eiedge_meter_value{meter=\"" + id + "\",obis=\"" + obis.AsString()
                                + "\",unit=\"" + v[1] + "\"}"), 1e-9, id + " " + obis.AsString());
                    }
                }
                long cellarTimeouts = status.get("meters").getValues().stream().filter(x -> x.get("id").AsString().equals("cellar"))
                        .findFirst().orElseThrow().get("failuresByKind").get("communication").AsInt64Value();
                assertTrue(cellarTimeouts > 0, "the dead meter's failures are counted by kind");
                double fsyncs = m.get("eiedge_fsync_duration_seconds_count");
                assertTrue(fsyncs > 0 && m.get("eiedge_fsync_duration_seconds_bucket{le=\"+Inf\"}") == fsyncs, "fsyncs measured: " + fsyncs);
                assertTrue(m.get("jvm_memory_used_bytes{area=\"heap\"}") > 0);

                // read-only: nothing but GET and HEAD, and no body
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, post.statusCode());
                assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
                assertEquals(404, get(port, "/admin").statusCode());
                String after = get(port, "/api/status").body();
                assertTrue(CBORObject.FromJSONString(after).get("refused").get("web-method").AsInt64Value() >= 1, after);
                assertEquals(status.get("seq").AsInt64Value(), CBORObject.FromJSONString(after).get("seq").AsInt64Value());
            } finally {
                node.close();
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code name{labels}} → value, exactly as written. */
    static Map<String, Double> parse(String metrics) {
        Map<String, Double> out = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            String v = line.substring(space + 1);
            out.put(line.substring(0, space), v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
        }
        return out;
    }
}
