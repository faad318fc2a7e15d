package io.eiedge.runtime.watch;

import io.eiedge.runtime.mqtt.TlsIdentity;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.tinylog.Logger;

/**
 * Subscribes to {@code {prefix}/#} at QoS 1 (Eclipse Paho, MQTT 3.1.1) and hands every message to
 * a sink, typically {@link Watcher#accept}. TLS trusts only the registrar root and presents a
 * client certificate when one is given; plain tcp only with the insecure flag. After a lost
 * connection Paho reconnects by itself and the subscription is made again; what was published
 * meanwhile is not seen (clean session) and shows as missing readings.
 */
public final class WatchClient implements AutoCloseable {
    private static final int QOS = 1;
    private static final int CONNECT_TIMEOUT_S = 10;

    private final URI broker;
    private final String filter;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private volatile boolean subscribed;

    /**
     * @param rootForTls the registrar root, the only certificate trusted for an {@code ssl://} broker
     * @param identity   a client certificate and key to present over TLS, when the broker asks for one
     * @param insecure   allows a plain {@code tcp://} broker
     */
    public WatchClient(URI broker, String prefix, X509Certificate rootForTls, Optional<TlsIdentity> identity,
                       boolean insecure, BiConsumer<String, byte[]> sink) throws IOException {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.filter = prefix + "/#";
        String scheme = String.valueOf(broker.getScheme());
        if (!scheme.equals("ssl") && !scheme.equals("tcp")) {
            throw new IllegalArgumentException(broker + ": the broker URL must be ssl://HOST:PORT (or tcp://HOST:PORT with --insecure)");
        }
        if (scheme.equals("tcp") && !insecure) {
            throw new IllegalArgumentException(broker + ": plain tcp is unauthenticated; use ssl:// or pass --insecure");
        }
        options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(1000);
        if (scheme.equals("ssl")) {
            try {
                options.setSocketFactory(identity.isPresent() ? identity.get().socketFactory() : trustOnly(rootForTls));
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS for " + broker + ": " + e.getMessage(), e);
            }
            options.setHttpsHostnameVerificationEnabled(true);
        }
        byte[] suffix = new byte[6];
        new SecureRandom().nextBytes(suffix);
        try {
            client = new MqttAsyncClient(broker.toString(), "eiedge-watch-" + HexFormat.of().formatHex(suffix),
                    new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException(broker + ": " + e.getMessage(), e);
        }
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                subscribe(reconnect);
            }

            @Override
            public void connectionLost(Throwable cause) {
                subscribed = false;
                Logger.warn("watch: connection to {} lost ({}); reconnecting", broker, cause == null ? "?" : cause.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                sink.accept(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // subscribe only
            }
        });
    }

    /** Connects and subscribes; fails when the broker cannot be reached or refuses us. */
    public void start() throws IOException {
        try {
            client.connect(options).waitForCompletion((CONNECT_TIMEOUT_S + 5) * 1000L);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!subscribed && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (MqttException e) {
            throw new IOException("cannot connect to " + broker + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + broker, e);
        }
        if (!subscribed) throw new IOException(broker + " did not acknowledge the subscription to " + filter);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    private void subscribe(boolean reconnect) {
        try {
            client.subscribe(filter, QOS).waitForCompletion(10_000);
            subscribed = true;
            Logger.info("watch: {} {}, subscribed to {}", reconnect ? "reconnected to" : "connected to", broker, filter);
        } catch (MqttException e) {
            Logger.error("watch: cannot subscribe to {} on {}: {}", filter, broker, describe(e));
        }
    }

    /** TLS that trusts only the registrar root (no client certificate). */
    public static SSLSocketFactory trustOnly(X509Certificate root) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry("registrar-root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx.getSocketFactory();
    }

    /** A Paho failure with its root cause, in one line. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage();
        return (root == e ? "" : e.getMessage() + ": ") + root.getClass().getSimpleName() + (msg != null ? ": " + msg : "");
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
