package io.eiedge.runtime.mqtt;

import io.eiedge.runtime.config.DeviceConfig;
import io.eiedge.runtime.config.MqttConfig;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.tinylog.Logger;

/**
 * The device's connection to the upstream broker (Eclipse Paho, MQTT 3.1.1, QoS 1).
 *
 * <ul>
 *   <li>TLS with the device certificate, trusting only the registrar root; plain tcp only when
 *       the configuration says {@code insecure}.</li>
 *   <li>Every connect raises the persisted {@link SessionCounter} first, sets the will (offline,
 *       that session, retained) and, once connected, publishes the online state and the device
 *       certificate (both retained) before telling listeners it is up.</li>
 *   <li>Connects and reconnects on its own thread with exponential back-off (with jitter), also
 *       when the very first connect fails; Paho's automatic reconnect is not used.</li>
 *   <li>{@link #publish} completes its future on the broker's PUBACK and fails it at once when not
 *       connected: Paho's offline buffer is off and its persistence in memory, because durability is
 *       the outbox's job (it re-sends whatever was not acknowledged).</li>
 * </ul>
 */
public final class MqttUplink implements AutoCloseable {

    /** Publishes in flight at once; beyond this {@link #publish} fails fast (Paho's own limit). */
    public static final int MAX_IN_FLIGHT = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final int QOS = 1;

    private final URI broker;
    private final String clientId;
    private final Topics topics;
    private final boolean insecure;
    private final Optional<TlsIdentity> identity;
    private final Optional<byte[]> certificate;
    private final Duration keepAlive;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final SessionCounter sessions;
    private final Supplier<ChainPosition> position;
    private final Clock clock;

    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** Topic filters and who gets what arrives on them; renewed at every connect (clean session). */
    private record Subscription(List<String> filters, BiConsumer<String, byte[]> sink) {
    }
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
    private final Semaphore lost = new Semaphore(0);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;

    private volatile MqttAsyncClient client;
    private volatile boolean connected;
    private volatile long session;
    private volatile Throwable lastFailure;

    /**
     * @param device    whose topics and client id
     * @param mqtt      broker, prefix, insecure flag, keep-alive, back-off
     * @param identity  required for ssl://; also gives the certificate published on {@code …/cert}
     * @param sessions  the persisted session counter (in the ledger data dir)
     * @param position  current seq/height for the state message
     */
    public MqttUplink(DeviceConfig device, MqttConfig mqtt, Optional<TlsIdentity> identity, SessionCounter sessions,
                      Supplier<ChainPosition> position, Clock clock) {
        this(device, mqtt, identity, identity.map(TlsIdentity::certificateDer), sessions, position, clock);
    }

    /**
     * @param certificate the device certificate (DER) to publish retained on {@code …/cert} at every
     *                    connect — also over a plain broker, where there is no TLS identity to take it from
     */
    public MqttUplink(DeviceConfig device, MqttConfig mqtt, Optional<TlsIdentity> identity, Optional<byte[]> certificate,
                      SessionCounter sessions, Supplier<ChainPosition> position, Clock clock) {
        this.certificate = certificate.map(byte[]::clone);
        this.broker = mqtt.broker();
        this.topics = new Topics(mqtt.topicPrefix(), device.subnet(), device.id());
        this.clientId = "eiedge-" + device.subnet() + "-" + device.id();
        this.insecure = mqtt.insecure();
        this.identity = Objects.requireNonNull(identity, "identity");
        this.keepAlive = mqtt.keepAlive();
        this.backoffMin = mqtt.reconnectMin();
        this.backoffMax = mqtt.reconnectMax();
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.position = Objects.requireNonNull(position, "position");
        this.clock = Objects.requireNonNull(clock, "clock");
        boolean tls = "ssl".equals(broker.getScheme());
        if (!tls && !insecure) {
            throw new IllegalArgumentException(broker + ": plain tcp needs the insecure flag");
        }
        if (tls && identity.isEmpty()) {
            throw new IllegalArgumentException(broker + ": TLS needs the device identity (key, certificate, root)");
        }
        this.thread = Thread.ofPlatform().daemon().name("mqtt-uplink-" + device.id()).unstarted(this::loop);
    }

    public Topics topics() {
        return topics;
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(ConnectionListener listener) {
        listeners.remove(listener);
    }

    /**
     * Subscribes (QoS 1) to {@code filters} now if connected and again at every connect; what
     * arrives goes to {@code sink} on Paho's thread. A failing sink is logged, never fatal.
     * Call before {@link #start()} so the first connect already carries it.
     */
    public void subscribe(List<String> filters, BiConsumer<String, byte[]> sink) {
        Subscription s = new Subscription(List.copyOf(filters), Objects.requireNonNull(sink));
        subscriptions.add(s);
        MqttAsyncClient c = client;
        if (connected && c != null) {
            try {
                subscribe(c, s);
            } catch (MqttException e) {
                Logger.warn("MQTT {} for {}: subscribing to {} failed: {}", broker, topics.device(), filters, e.getMessage());
            }
        }
    }

    private static void subscribe(MqttAsyncClient c, Subscription s) throws MqttException {
        int[] qos = new int[s.filters().size()];
        java.util.Arrays.fill(qos, QOS);
        c.subscribe(s.filters().toArray(String[]::new), qos).waitForCompletion(ACK_TIMEOUT.toMillis());
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        thread.start();
    }

    /** True between the online state's PUBACK and the loss of the connection. */
    public boolean isConnected() {
        return connected;
    }

    /** The session number of the current (or last attempted) connection. */
    public long session() {
        return session;
    }

    /** Why the last connect attempt or connection failed, for {@code /health}; empty when none has. */
    public Optional<Throwable> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * Publishes at QoS 1. The future completes when the broker has acknowledged (PUBACK), and
     * fails when not connected, when more than {@link #MAX_IN_FLIGHT} are unacknowledged, or when
     * the connection is lost before the acknowledgement (the message may or may not have arrived).
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained) {
        if (!connected) {
            return CompletableFuture.failedFuture(new NotConnectedException(broker));
        }
        return send(client, topic, payload, retained);
    }

    /** Re-publishes the retained online state with the current seq and height. */
    public CompletableFuture<Void> publishState() {
        return publish(topics.state(), state(true, session).toJson(), true);
    }

    private CompletableFuture<Void> send(MqttAsyncClient c, String topic, byte[] payload, boolean retained) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(done);
        done.whenComplete((v, e) -> pending.remove(done));
        MqttMessage message = new MqttMessage(payload);
        message.setQos(QOS);
        message.setRetained(retained);
        try {
            c.publish(topic, message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e != null ? e : new MqttException(MqttException.REASON_CODE_UNEXPECTED_ERROR));
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private DeviceState state(boolean online, long sessionNumber) {
        ChainPosition p = position.get();
        return new DeviceState(online, sessionNumber, p.seq(), p.height(), clock.millis());
    }

    private void loop() {
        Duration backoff = backoffMin;
        while (closing.getCount() > 0) {
            try {
                connectOnce();
                backoff = backoffMin;
                lost.acquire(); // until the connection is lost or we are closing
                if (closing.getCount() == 0) break;
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                lastFailure = e;
                dropConnection();
                long jittered = (long) (backoff.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
                Logger.warn("MQTT {} for {}: connect failed ({}); next attempt in {} ms", broker, topics.device(),
                        describe(e), jittered);
                try {
                    if (closing.await(jittered, TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
                continue;
            }
            // lost: wait the minimum back-off before trying again, so a flapping broker is not hammered
            try {
                if (closing.await(backoffMin.toMillis(), TimeUnit.MILLISECONDS)) break;
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void connectOnce() throws IOException, GeneralSecurityException, MqttException, InterruptedException,
            ExecutionException, TimeoutException {
        lost.drainPermits();
        dropConnection(); // the previous client, if any: its threads and sockets go with it
        long s = sessions.next(); // durable before the will that carries it can exist
        session = s;
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval((int) Math.max(1, keepAlive.toSeconds()));
        options.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
        options.setMaxInflight(MAX_IN_FLIGHT);
        options.setWill(topics.state(), state(false, s).toJson(), QOS, true);
        if ("ssl".equals(broker.getScheme())) {
            SSLSocketFactory factory = identity.orElseThrow().socketFactory();
            options.setSocketFactory(factory);
            options.setHttpsHostnameVerificationEnabled(true);
        }
        MqttAsyncClient c = new MqttAsyncClient(broker.toString(), clientId, new MemoryPersistence());
        c.setCallback(new Callback(c));
        client = c;
        Logger.info("MQTT {} for {}: connecting, session {}", broker, topics.device(), s);
        c.connect(options).waitForCompletion(CONNECT_TIMEOUT.toMillis() + 5000);
        send(c, topics.state(), state(true, s).toJson(), true).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (certificate.isPresent()) {
            send(c, topics.cert(), certificate.get(), true)
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (Subscription sub : subscriptions) {
            subscribe(c, sub);
        }
        if (client != c || !c.isConnected()) throw new IOException("connection lost while announcing the session");
        connected = true;
        lastFailure = null;
        Logger.info("MQTT {} for {}: online, session {}", broker, topics.device(), s);
        for (ConnectionListener l : listeners) {
            try {
                l.connected(s);
            } catch (RuntimeException e) {
                Logger.error(e, "MQTT {} for {}: a connection listener failed", broker, topics.device());
            }
        }
    }

    /** Paho's callbacks for one client instance; a stale instance's callbacks are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (client != owner) return;
            boolean wasConnected = connected;
            connected = false;
            lastFailure = cause;
            failPending(cause);
            Logger.warn("MQTT {} for {}: connection lost ({})", broker, topics.device(), describe(cause));
            if (wasConnected) {
                for (ConnectionListener l : listeners) {
                    try {
                        l.disconnected(cause);
                    } catch (RuntimeException e) {
                        Logger.error(e, "MQTT {} for {}: a connection listener failed", broker, topics.device());
                    }
                }
            }
            lost.release();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Subscription s : subscriptions) {
                if (s.filters().stream().anyMatch(f -> org.eclipse.paho.client.mqttv3.MqttTopic.isMatched(f, topic))) {
                    try {
                        s.sink().accept(topic, message.getPayload());
                    } catch (RuntimeException e) {
                        Logger.error(e, "MQTT {} for {}: handling a message on {} failed", broker, topics.device(), topic);
                    }
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // futures complete through each publish's action listener
        }
    }

    private void failPending(Throwable cause) {
        Throwable reason = cause != null ? cause : new NotConnectedException(broker);
        for (CompletableFuture<Void> f : pending) f.completeExceptionally(reason);
    }

    /** Discards a half-open client after a failed attempt. */
    private void dropConnection() {
        connected = false;
        MqttAsyncClient c = client;
        client = null;
        failPending(lastFailure);
        if (c == null) return;
        try {
            if (c.isConnected()) c.disconnectForcibly(0, 1000, false);
        } catch (MqttException e) {
            // already gone
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            // nothing more to release
        }
    }

    /**
     * Stops reconnecting; when connected, publishes the offline state (a clean disconnect
     * suppresses the will, so subscribers would otherwise never learn) and disconnects.
     */
    @Override
    public void close() {
        if (closing.getCount() == 0) return;
        closing.countDown();
        lost.release();
        MqttAsyncClient c = client;
        if (c != null && connected) {
            try {
                send(c, topics.state(), state(false, session).toJson(), true).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                Logger.warn("MQTT {} for {}: offline state not acknowledged at shutdown", broker, topics.device());
            }
            connected = false;
            try {
                c.disconnect(1000).waitForCompletion(2000);
            } catch (MqttException e) {
                // going away anyway
            }
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropConnection();
        Logger.info("MQTT {} for {}: closed", broker, topics.device());
    }

    private static String describe(Throwable e) {
        if (e == null) return "unknown";
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
    }

    /** The uplink is not connected; the caller keeps the message (the outbox retries later). */
    public static final class NotConnectedException extends IllegalStateException {
        public NotConnectedException(URI broker) {
            super("not connected to " + broker);
        }
    }
}
