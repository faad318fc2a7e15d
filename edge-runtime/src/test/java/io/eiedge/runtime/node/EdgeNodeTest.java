package io.eiedge.runtime.node;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.ledger.chain.ChainAudit;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.testsupport.Mosquitto;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The daemon's cycle against a real mosquitto: nothing signed is lost, a dead meter delays nobody. */
class EdgeNodeTest {
    @TempDir
    Path dir;

    private static final String TWO_SIMULATED = """
              - id: pv
                type: simulated
                kind: pv
                seed: 1
                peak-power: 5kW
                poll-interval: 100ms
              - id: grid
                type: simulated
                kind: load
                seed: 2
                peak-power: 3kW
                poll-interval: 100ms
            """;

    /** A subscriber whose session the broker keeps across its own restart (clean session off, QoS 1). */
    private static final class Aggregator implements AutoCloseable {
        final List<byte[]> readings = new CopyOnWriteArrayList<>();
        final MqttClient client;

        Aggregator(String url) throws Exception {
            client = new MqttClient(url, "test-aggregator", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(500);
            o.setMaxInflight(1000);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    if (topic.endsWith("/reading")) {
                        readings.add(message.getPayload());
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            client.connect(o);
            client.subscribe("ei/v1/#", 1);
        }

        @Override
        public void close() throws Exception {
            client.disconnectForcibly(1000);
            client.close();
        }
    }

    @Test
    void aBrokerOutageWithARestartInsideItLosesNoReadingAndKeepsSeqOrder() throws Exception {
        TestDevices devices = new TestDevices(dir);
        var router = devices.issue("router-01", "router");
        LedgerVerifier verifier = devices.verifier();
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             MeterFactory meters = TestDevices.meterFactory(dir);
             Aggregator aggregator = new Aggregator(broker.url("tcp"))) {
            EiedgeConfig config = devices.config(router, "router", broker.url("tcp"), TWO_SIMULATED, "2s");
            EdgeNode node = EdgeNode.start(config, router.identity(), meters, Clock.systemUTC());
            waitFor(() -> aggregator.readings.size() >= 10, 20, "readings before the outage");

            broker.stop();
            TimeUnit.MILLISECONDS.sleep(1500);
            node.close(); // the runtime restarts while the broker is away
            node = EdgeNode.start(config, router.identity(), meters, Clock.systemUTC());
            TimeUnit.MILLISECONDS.sleep(1500);
            long depthDuringOutage = node.status().outboxDepth();
            assertTrue(depthDuringOutage > 0, "readings queue while the broker is away");

            broker.start();
            EdgeNode running = node;
            waitFor(() -> running.status().outboxDepth() == 0 && running.status().mqttConnected(), 30, "the backlog to drain");
            node.close();
            long last = node.chain().nextSeq() - 1;
            waitFor(() -> distinctSeqs(aggregator.readings) >= last, 20, "every reading at the aggregator");

            List<Long> firstSeen = new ArrayList<>();
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (byte[] cose : aggregator.readings) {
                SignedReading r = verifier.verifyReading(cose, router.trusted());
                if (seen.add(r.seq())) {
                    firstSeen.add(r.seq());
                }
            }
            for (long s = 1; s <= last; s++) {
                assertTrue(seen.contains(s), "seq " + s + " of " + last + " never arrived");
            }
            for (int i = 1; i < firstSeen.size(); i++) {
                assertTrue(firstSeen.get(i) > firstSeen.get(i - 1), "seq order broken at " + firstSeen.get(i - 1) + " → " + firstSeen.get(i));
            }
            assertTrue(ChainAudit.audit(dir.resolve("router-01").resolve("chain"), verifier).ok());
        }
    }

    @Test
    void aMeterThatHangsDoesNotDelayTheOthersReadings() throws Exception {
        TestDevices devices = new TestDevices(dir);
        var router = devices.issue("router-02", "router");
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             MeterFactory meters = TestDevices.meterFactory(dir)) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (!blackHole.isClosed()) {
                        held.add(blackHole.accept()); // accepts, never answers: a hung gateway
                    }
                } catch (java.io.IOException closed) {
                    // test over
                }
            });
            String meters2 = """
                      - id: hung
                        type: modbus-tcp
                        host: 127.0.0.1
                        port: %d
                        unit-id: 1
                        profile: sdm630
                        timeout: 3s
                        retries: 1
                        poll-interval: 100ms
                      - id: pv
                        type: simulated
                        kind: pv
                        seed: 5
                        peak-power: 5kW
                        poll-interval: 100ms
                    """.formatted(blackHole.getLocalPort());
            EiedgeConfig config = devices.config(router, "router", broker.url("tcp"), meters2, "60s");
            try (EdgeNode node = EdgeNode.start(config, router.identity(), meters, Clock.systemUTC())) {
                TimeUnit.SECONDS.sleep(3);
                var status = node.status();
                var pv = status.meters().stream().filter(m -> m.id().equals("pv")).findFirst().orElseThrow();
                var hung = status.meters().stream().filter(m -> m.id().equals("hung")).findFirst().orElseThrow();
                assertTrue(pv.reads() >= 15, "pv read " + pv.reads() + " times in 3 s at 10 Hz while the other meter hung");
                assertTrue(hung.reads() <= 1, "the hung meter is still inside its first read: " + hung.reads());
                assertTrue(status.seq() >= 15, "the readings were signed and stored, not just read: seq " + status.seq());
            }
            blackHole.close();
            acceptor.join(1000);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static long distinctSeqs(List<byte[]> readings) {
        java.util.Set<Long> seqs = new java.util.HashSet<>();
        for (byte[] c : readings) {
            try {
                seqs.add(SignedReading.decode(c).seq());
            } catch (Exception e) {
                fail("undecodable reading: " + e.getMessage());
            }
        }
        return seqs.size();
    }

    private static void waitFor(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
