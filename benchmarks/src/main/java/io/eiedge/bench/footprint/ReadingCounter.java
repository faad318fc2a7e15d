package io.eiedge.bench.footprint;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedReading;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An aggregator's view of how many readings the daemon chained: subscribes to the device's
 * {@code reading} topic and keeps the highest seq it decoded. Readings in a window = highest seq
 * at its end − highest seq at its start (the publish delay is the same at both ends); the
 * message count is kept as a cross-check.
 */
final class ReadingCounter implements AutoCloseable {
    private final MqttClient client;
    private final AtomicLong maxSeq = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();

    ReadingCounter(String brokerUrl, String topic) throws MqttException {
        client = new MqttClient(brokerUrl, "footprint-counter-" + ProcessHandle.current().pid(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("footprint: the reading counter lost the broker: " + cause);
            }

            @Override
            public void messageArrived(String t, MqttMessage message) {
                messages.incrementAndGet();
                try {
                    long seq = SignedReading.decode(message.getPayload()).seq();
                    maxSeq.accumulateAndGet(seq, Math::max);
                } catch (LedgerFormatException | RuntimeException e) {
                    undecodable.incrementAndGet();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        client.connect(o);
        client.subscribe(topic, 0);
    }

    /** The highest reading seq received so far. */
    long maxSeq() {
        return maxSeq.get();
    }

    long messages() {
        return messages.get();
    }

    long undecodable() {
        return undecodable.get();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
