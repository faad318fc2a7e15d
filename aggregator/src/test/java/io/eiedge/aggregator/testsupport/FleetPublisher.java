package io.eiedge.aggregator.testsupport;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes simulated devices' signed streams as DESIGN's topic table has them (certificates and
 * headers retained, QoS 1), and anything else a broker client might send. One Paho client for
 * the fleet; {@link #flush} waits for every PUBACK.
 */
public final class FleetPublisher implements AutoCloseable {
    private final MqttAsyncClient client;
    private final List<IMqttDeliveryToken> pending = new ArrayList<>();
    private final Map<String, Integer> headersSent = new HashMap<>();

    public FleetPublisher(String broker) throws MqttException {
        client = new MqttAsyncClient(broker, "fleet-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setMaxInflight(1000);
        client.connect(o).waitForCompletion(10_000);
    }

    public void certificate(SimulatedFleet.Device d) throws MqttException {
        send(d.topic("cert"), d.certDer, true);
    }

    public void crl(String subnet, byte[] der) throws MqttException {
        send("ei/v1/" + subnet + "/crl", der, true);
    }

    public void reading(SimulatedFleet.Device d, SignedReading r) throws MqttException {
        send(d.topic("reading"), r.cose().encoded(), false);
    }

    /** A reading as the device's outbox sends it: after the headers of every block sealed before it. */
    public void streamed(SimulatedFleet.Device d, SignedReading r) throws MqttException {
        headersUpTo(d, r.seq() - 1);
        reading(d, r);
        headersUpTo(d, r.seq());
    }

    /** Publishes the device's headers (genesis first) of blocks that end at or before {@code seq}. */
    public void headersUpTo(SimulatedFleet.Device d, long seq) throws MqttException {
        int next = headersSent.getOrDefault(d.id, 0);
        List<SignedHeader> all = d.headers;
        while (next < all.size() && all.get(next).header().nextSeq() - 1 <= seq) {
            send(d.topic("header"), all.get(next).cose().encoded(), true);
            next++;
        }
        headersSent.put(d.id, next);
    }

    public void raw(String topic, byte[] payload) throws MqttException {
        send(topic, payload, false);
    }

    private void send(String topic, byte[] payload, boolean retained) throws MqttException {
        while (true) {
            try {
                pending.add(client.publish(topic, payload, 1, retained));
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) throw e;
                flush();
            }
        }
    }

    /** Waits until the broker acknowledged everything sent. */
    public void flush() throws MqttException {
        for (IMqttDeliveryToken t : pending) t.waitForCompletion(30_000);
        pending.clear();
    }

    @Override
    public void close() throws MqttException {
        flush();
        client.disconnect().waitForCompletion(5_000);
        client.close();
    }
}
