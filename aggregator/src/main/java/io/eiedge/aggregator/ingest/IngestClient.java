package io.eiedge.aggregator.ingest;

import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.watch.WatchClient;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.tinylog.Logger;

/**
 * The broker side of {@code ingest} (Eclipse Paho, MQTT 3.1.1, QoS 1): a persistent session
 * (clean session off, a stable client id), manual acknowledgements, and two kinds of subscription.
 * <ul>
 *   <li>Every instance subscribes by itself to the retained {@code cert} and {@code crl} topics:
 *       each needs every certificate to verify what it is given, and a shared subscription would
 *       neither split them usefully nor deliver retained messages.</li>
 *   <li>Readings, headers, alerts and balances come through {@code $share/GROUP/…} when a group
 *       is given, so the broker hands each message to one instance of the group. Mosquitto
 *       (≥ 1.6) offers shared subscriptions to MQTT 3.1.1 clients too.</li>
 * </ul>
 * A message is PUBACKed only when {@link #ack} is called, after the transaction holding it
 * committed; an instance killed before that gets it again on reconnect (its session), or the
 * broker gives it to the group again. Arrivals go into a bounded queue: when it is full Paho's
 * callback thread waits, so a slow database slows the broker's delivery instead of filling memory.
 */
public final class IngestClient implements AutoCloseable {
    private static final int QOS = 1;
    private static final int CONNECT_TIMEOUT_S = 10;

    /** One received message with what is needed to acknowledge it. */
    public record Inbound(String topic, byte[] payload, int messageId, int qos, long session) {
    }

    private final URI broker;
    private final String prefix;
    private final Optional<String> share;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final BlockingQueue<Inbound> queue;
    private final AtomicBoolean dataSubscribed = new AtomicBoolean();
    private volatile boolean wantData;
    private volatile long session;

    /**
     * @param clientId stable across restarts: the broker keeps this instance's session under it
     * @param share    the shared-subscription group, empty for a single instance's own subscription
     * @param maxInflight  messages in flight towards this client at most (Paho's and the broker's window)
     */
    public IngestClient(URI broker, String prefix, String clientId, Optional<String> share, X509Certificate rootForTls,
                        Optional<TlsIdentity> identity, boolean insecure, int maxInflight, BlockingQueue<Inbound> queue) throws IOException {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.prefix = prefix;
        this.share = share;
        this.queue = queue;
        String scheme = String.valueOf(broker.getScheme());
        if (!scheme.equals("ssl") && !scheme.equals("tcp")) {
            throw new IllegalArgumentException(broker + ": the broker URL must be ssl://HOST:PORT (or tcp://HOST:PORT with --insecure)");
        }
        if (scheme.equals("tcp") && !insecure) {
            throw new IllegalArgumentException(broker + ": plain tcp is unauthenticated; use ssl:// or pass --insecure");
        }
        options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(maxInflight);
        if (scheme.equals("ssl")) {
            try {
                options.setSocketFactory(identity.isPresent() ? identity.get().socketFactory() : WatchClient.trustOnly(rootForTls));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS for " + broker + ": " + e.getMessage(), e);
            }
            options.setHttpsHostnameVerificationEnabled(true);
        }
        try {
            client = new MqttAsyncClient(broker.toString(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException(broker + ": " + e.getMessage(), e);
        }
        client.setManualAcks(true);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                session++;
                // the session keeps subscriptions, but make them again in case the broker lost it
                subscribeTrust();
                if (wantData) subscribeData();
                if (reconnect) Logger.info("ingest: reconnected to {}", broker);
            }

            @Override
            public void connectionLost(Throwable cause) {
                Logger.warn("ingest: connection to {} lost ({}); reconnecting", broker, cause == null ? "?" : cause.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
                queue.put(new Inbound(topic, message.getPayload(), message.getId(), message.getQos(), session));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // subscribe only
            }
        });
    }

    /** Connects and subscribes to certificates and CRLs; fails when the broker cannot be reached or refuses us. */
    public void start() throws IOException {
        try {
            client.connect(options).waitForCompletion((CONNECT_TIMEOUT_S + 5) * 1000L);
        } catch (MqttException e) {
            throw new IOException("cannot connect to " + broker + ": " + WatchClient.describe(e), e);
        }
    }

    /** Subscribes to the data topics (after a CRL is known). */
    public void startData() {
        wantData = true;
        subscribeData();
    }

    private void subscribeTrust() {
        String[] filters = {prefix + "/+/+/cert", prefix + "/+/crl"};
        try {
            client.subscribe(filters, new int[] {QOS, QOS}).waitForCompletion(10_000);
        } catch (MqttException e) {
            Logger.error("ingest: cannot subscribe to {} on {}: {}", String.join(", ", filters), broker, WatchClient.describe(e));
        }
    }

    private void subscribeData() {
        String group = share.map(g -> "$share/" + g + "/").orElse("");
        String[] filters = {group + prefix + "/+/+/reading", group + prefix + "/+/+/header", group + prefix + "/+/alert",
                group + prefix + "/+/balance"};
        try {
            client.subscribe(filters, new int[] {QOS, QOS, QOS, QOS}).waitForCompletion(10_000);
            if (dataSubscribed.compareAndSet(false, true)) Logger.info("ingest: subscribed to {} on {}", String.join(", ", filters), broker);
        } catch (MqttException e) {
            Logger.error("ingest: cannot subscribe to {} on {}: {}", String.join(", ", filters), broker, WatchClient.describe(e));
        }
    }

    /**
     * PUBACKs a message once what it carried is committed. A message of an earlier connection is
     * not acknowledged: the broker already gives it again on the new one.
     */
    public void ack(Inbound m) {
        if (m.qos() == 0 || m.session() != session) return;
        try {
            client.messageArrivedComplete(m.messageId(), m.qos());
        } catch (MqttException e) {
            Logger.debug("ingest: ack of message {} not sent ({}); the broker will deliver it again", m.messageId(), WatchClient.describe(e));
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) client.disconnect(1000).waitForCompletion(2000);
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing more to release
        }
    }
}
