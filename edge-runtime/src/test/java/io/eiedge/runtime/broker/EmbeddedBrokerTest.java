package io.eiedge.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Moquette broker with real Paho clients (and mosquitto's own client) on loopback. */
class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    record Received(String topic, byte[] payload, boolean retained, int qos) {
    }

    private static MqttClient client(EmbeddedBroker broker, String id) throws MqttException {
        MqttClient c = new MqttClient(broker.uri().toString(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        c.connect(o);
        return c;
    }

    private static BlockingQueue<Received> subscribe(MqttClient c, String filter) throws MqttException {
        BlockingQueue<Received> q = new LinkedBlockingQueue<>();
        c.subscribe(filter, 1, (topic, m) -> q.add(new Received(topic, m.getPayload(), m.isRetained(), m.getQos())));
        return q;
    }

    private static void publish(MqttClient c, String topic, byte[] payload, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        c.publish(topic, m); // MqttClient.publish returns after the PUBACK at QoS 1
    }

    private static Received next(BlockingQueue<Received> q) throws InterruptedException {
        Received r = q.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no message within 10 s");
        return r;
    }

    @Test
    void listensOnAnEphemeralLoopbackPortAndRelaysQos1() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            assertTrue(broker.port() > 0);
            assertEquals("tcp://127.0.0.1:" + broker.port(), broker.uri().toString());
            MqttClient sub = client(broker, "aggregator");
            BlockingQueue<Received> got = subscribe(sub, "ei/v1/#");
            MqttClient pub = client(broker, "router-07");
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] p = ("reading " + i).getBytes(StandardCharsets.UTF_8);
                sent.add(p);
                publish(pub, "ei/v1/lab/router-07/reading", p, false);
            }
            for (int i = 0; i < 50; i++) {
                Received r = next(got);
                assertEquals("ei/v1/lab/router-07/reading", r.topic());
                assertArrayEquals(sent.get(i), r.payload(), "message " + i + " in order");
                assertEquals(1, r.qos());
                assertFalse(r.retained());
            }
            pub.disconnect();
            sub.disconnect();
            pub.close();
            sub.close();
        }
    }

    @Test
    void keepsRetainedMessagesForLateSubscribersAndMosquittoSubSeesThem() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            MqttClient pub = client(broker, "router-07");
            byte[] cert = new byte[3000];
            for (int i = 0; i < cert.length; i++) cert[i] = (byte) i;
            publish(pub, "ei/v1/lab/router-07/cert", cert, true);
            publish(pub, "ei/v1/lab/router-07/state", "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8), true);
            byte[] big = new byte[200_000]; // over Moquette's default 8 KiB message limit
            big[199_999] = 42;
            publish(pub, "ei/v1/lab/crl", big, true);

            MqttClient late = client(broker, "late");
            BlockingQueue<Received> got = subscribe(late, "ei/v1/lab/#");
            // Moquette 0.17 sends retained messages to a new subscription with the RETAIN flag
            // cleared (MQTT-3.3.1-8 says set); eiedge's receivers never rely on the flag
            List<Received> three = List.of(next(got), next(got), next(got));
            Received c = three.stream().filter(r -> r.topic().endsWith("/cert")).findFirst().orElseThrow();
            assertArrayEquals(cert, c.payload());
            Received crl = three.stream().filter(r -> r.topic().endsWith("/crl")).findFirst().orElseThrow();
            assertArrayEquals(big, crl.payload());

            // an independent client: mosquitto's own, reading the retained state
            Process p = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                    "-q", "1", "-t", "ei/v1/lab/router-07/state", "-C", "1", "-W", "10", "-F", "%t %p")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
            assertEquals("ei/v1/lab/router-07/state {\"state\":\"online\"}", out);
            pub.disconnect();
            late.disconnect();
        }
    }

    @Test
    void retainedMessagesSurviveARestartWithADataFolder() throws Exception {
        Path data = dir.resolve("broker");
        int port;
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, Optional.of(data))) {
            port = broker.port();
            MqttClient pub = client(broker, "router-07");
            publish(pub, "ei/v1/lab/router-07/header", new byte[] {1, 2, 3}, true);
            pub.disconnect();
        }
        try (EmbeddedBroker again = EmbeddedBroker.start(port, Optional.of(data))) {
            assertEquals(port, again.port());
            MqttClient sub = client(again, "aggregator");
            Received r = next(subscribe(sub, "ei/v1/#"));
            assertEquals("ei/v1/lab/router-07/header", r.topic());
            assertArrayEquals(new byte[] {1, 2, 3}, r.payload());
            sub.disconnect();
        }
    }

    @Test
    void stoppingDropsClientsAndClosesThePort() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start();
        MqttClient c = client(broker, "router-07");
        broker.stop();
        assertFalse(broker.isRunning());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.isConnected() && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(c.isConnected(), "the client noticed the broker went away");
        assertThrows(MqttException.class, () -> client(broker, "another"));
        c.close(true);
    }

    @Test
    void aTakenPortIsRefusedWithTheAddressInTheMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class, () -> EmbeddedBroker.start(taken.getLocalPort(), Optional.empty()));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }
}
