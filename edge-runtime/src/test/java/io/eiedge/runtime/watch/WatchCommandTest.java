package io.eiedge.runtime.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.runtime.cli.EiedgeCli;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code eiedge watch} run in-process through picocli against a real mosquitto, with real devices'
 * traffic (registrar certificates, chain readings and headers) published by a Paho client. Each
 * scenario uses its own topic prefix, so retained messages of one do not reach another.
 */
class WatchCommandTest {
    private static final int SECONDS = 3;

    @TempDir
    static Path dir;
    static Testbed bed;
    static Mosquitto broker;
    static int counter;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        bed = new Testbed(dir.resolve("bed"));
        broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    /** Publishes like a device: QoS 1, returning after the PUBACK. */
    static final class Publisher implements AutoCloseable {
        final MqttClient client;

        Publisher(String url, Optional<SSLSocketFactory> tls) throws Exception {
            client = new MqttClient(url, "device-" + (++counter), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            tls.ifPresent(o::setSocketFactory);
            client.connect(o);
        }

        void publish(String topic, byte[] payload, boolean retained) throws Exception {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            m.setRetained(retained);
            client.publish(topic, m);
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    interface Traffic {
        void run(Publisher p) throws Exception;
    }

    /** Runs {@code eiedge watch ARGS} and, once it has subscribed, the traffic; returns its exit status and output. */
    private Result watch(Traffic traffic, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EiedgeCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int[] exit = {-1};
        Thread t = Thread.ofPlatform().start(() -> exit[0] = cli.execute(args));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!err.toString().contains("subscribed to") && t.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        if (t.isAlive() && traffic != null) {
            try (Publisher p = new Publisher(broker.url("tcp"), Optional.empty())) {
                traffic.run(p);
            }
        }
        t.join(Duration.ofSeconds(SECONDS + 20));
        return new Result(exit[0], out.toString(), err.toString());
    }

    private String[] args(String prefix, String... more) {
        List<String> a = new ArrayList<>(List.of("watch", "--broker", broker.url("tcp"), "--insecure", "--root",
                bed.rootFile().toString(), "--prefix", prefix, "--seconds", Integer.toString(SECONDS)));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static void cleanTraffic(Publisher p, Testbed.Device d, String prefix) throws Exception {
        p.publish(d.topic(prefix, "cert"), d.certDer, true);
        p.publish(d.topic(prefix, "header"), d.headers.get(0).cose().encoded(), true);
        int before = d.headers.size();
        for (SignedReading r : d.read(8)) p.publish(d.topic(prefix, "reading"), r.cose().encoded(), false);
        for (int i = before; i < d.headers.size(); i++) p.publish(d.topic(prefix, "header"), d.headers.get(i).cose().encoded(), true);
    }

    @Test
    void cleanTrafficPassesTheCheckAndMosquittoSubSeesTheSameReadings() throws Exception {
        String prefix = "clean/ei/v1";
        try (Testbed.Device d = bed.device("router-01", "lab", "router");
             MosquittoSub sub = MosquittoSub.plain(broker, prefix + "/+/+/reading", true)) {
            Result r = watch(p -> cleanTraffic(p, d, prefix), args(prefix, "--check"));
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("watch: OK: 1 device, 8 readings, 3 headers, 2 blocks verified"), r.out());
            assertTrue(r.out().contains("router-01"), r.out());
            sub.await(m -> m.topic().equals(d.topic(prefix, "reading")), Duration.ofSeconds(5));
            long readings = sub.received().stream().filter(m -> m.topic().endsWith("/reading")).count();
            assertEquals(8, readings, "mosquitto_sub, an independent receiver, saw the same readings");
        }
    }

    @Test
    void jsonLinesReportEveryItemAndTheVerdict() throws Exception {
        String prefix = "json/ei/v1";
        try (Testbed.Device d = bed.device("router-02", "lab", "router")) {
            Result r = watch(p -> cleanTraffic(p, d, prefix), args(prefix, "--check", "--json"));
            assertEquals(0, r.exit(), r.out() + r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(8, lines.stream().filter(l -> l.startsWith("{\"type\":\"reading\",\"outcome\":\"verified\"")).count(), r.out());
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"reading\"") && l.contains("\"seq\":8")), r.out());
            assertEquals(2, lines.stream().filter(l -> l.contains("matches the Merkle root")).count(), r.out());
            String verdict = lines.get(lines.size() - 1);
            assertTrue(verdict.startsWith("{\"type\":\"verdict\",\"ok\":true,\"devices\":1,\"readings\":8,\"headers\":3,\"blocks\":2"), verdict);
        }
    }

    @Test
    void aForgedReadingFailsTheCheck() throws Exception {
        String prefix = "forged/ei/v1";
        try (Testbed.Device d = bed.device("router-03", "lab", "router")) {
            Result r = watch(p -> {
                cleanTraffic(p, d, prefix);
                Reading fake = new Reading(d.id, "grid", 9, System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                        Reading.values(Map.of("1-0:1.8.0", new ScaledValue(7, 6, "Wh"))), 0);
                p.publish(d.topic(prefix, "reading"), SignedReading.sign(fake, new Ed25519PrivateKey(new byte[32])).cose().encoded(), false);
            }, args(prefix, "--check"));
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("forged lab/router-03 on " + prefix + "/lab/router-03/reading: reading seq 9 is signed with key"), r.out());
            assertTrue(r.err().contains("--check FAILED: 1 problem"), r.err());
        }
    }

    @Test
    void aReadingOfARevokedDeviceFailsTheCheck() throws Exception {
        String prefix = "revoked/ei/v1";
        try (Testbed.Device d = bed.device("interface-04", "lab", "interface")) {
            Result r = watch(p -> {
                cleanTraffic(p, d, prefix);
                p.publish(prefix + "/lab/crl", Testbed.der(bed.revoke(d.id)), true);
                for (SignedReading s : d.read(1)) p.publish(d.topic(prefix, "reading"), s.cose().encoded(), false);
            }, args(prefix, "--check"));
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("revoked lab/interface-04"), r.out());
            assertTrue(r.out().contains("reading seq 9 signed with a revoked certificate's key"), r.out());
            assertTrue(r.out().contains("REVOKED"), "the table shows the device as revoked:\n" + r.out());
        }
    }

    @Test
    void aMissingSeqFailsTheCheck() throws Exception {
        String prefix = "gap/ei/v1";
        try (Testbed.Device d = bed.device("exchange-05", "lab", "exchange")) {
            Result r = watch(p -> {
                p.publish(d.topic(prefix, "cert"), d.certDer, true);
                List<SignedReading> rs = d.read(3);
                p.publish(d.topic(prefix, "reading"), rs.get(0).cose().encoded(), false);
                p.publish(d.topic(prefix, "reading"), rs.get(2).cose().encoded(), false);
            }, args(prefix, "--check"));
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("seq-gap lab/exchange-05: 1 reading missing: seq 2 (received 1..3)"), r.out());
        }
    }

    @Test
    void aTamperedHeaderFailsTheCheck() throws Exception {
        String prefix = "tampered/ei/v1";
        try (Testbed.Device d = bed.device("router-06", "lab", "router")) {
            Result r = watch(p -> {
                p.publish(d.topic(prefix, "cert"), d.certDer, true);
                for (SignedReading s : d.read(4)) p.publish(d.topic(prefix, "reading"), s.cose().encoded(), false);
                byte[] cose = d.headers.get(1).cose().encoded();
                cose[cose.length - 70] ^= 0x01; // inside the signed payload (the signature is the last 64 bytes)
                p.publish(d.topic(prefix, "header"), cose, true);
            }, args(prefix, "--check"));
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("lab/router-06 on " + prefix + "/lab/router-06/header"), r.out());
            assertTrue(r.out().matches("(?s).*(forged|malformed) lab/router-06.*header.*"), r.out());
        }
    }

    @Test
    void anUnreachableBrokerAndPlainTcpWithoutTheFlagAreClearErrors() throws Exception {
        Result none = watch(null, "watch", "--broker", "tcp://127.0.0.1:1", "--insecure", "--root", bed.rootFile().toString(),
                "--check", "--seconds", "1");
        assertEquals(3, none.exit(), none.err());
        assertTrue(none.err().contains("cannot connect to tcp://127.0.0.1:1"), none.err());

        Result plain = watch(null, "watch", "--broker", broker.url("tcp"), "--root", bed.rootFile().toString());
        assertEquals(2, plain.exit(), plain.err());
        assertTrue(plain.err().contains("plain tcp is unauthenticated; use ssl:// or pass --insecure"), plain.err());

        Result noRoot = watch(null, "watch", "--broker", broker.url("tcp"), "--insecure", "--root", dir.resolve("nope.pem").toString());
        assertEquals(4, noRoot.exit(), noRoot.err());
        assertTrue(noRoot.err().contains("nope.pem: no such file"), noRoot.err());
    }

    @Test
    void nothingReceivedIsNotAPass() throws Exception {
        Result r = watch(null, args("silent/ei/v1", "--check"));
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED: no reading was received"), r.out());
    }
}
