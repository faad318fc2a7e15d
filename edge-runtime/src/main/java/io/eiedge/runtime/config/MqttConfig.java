package io.eiedge.runtime.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The upstream broker connection and the outbox that feeds it.
 *
 * @param broker          {@code ssl://host:8883}, or {@code tcp://host:1883} only when {@code insecure}
 * @param topicPrefix     first topic levels, default {@code ei/v1}
 * @param insecure        allow plain tcp (no TLS, no client certificate)
 * @param outbox          bound and policy of the persistent outbox
 * @param drainRate       messages per second sent from a backlog
 * @param keepAlive       MQTT keep-alive interval
 * @param reconnectMin    first back-off after a failed or lost connection
 * @param reconnectMax    the back-off doubles up to this
 */
public record MqttConfig(URI broker, String topicPrefix, boolean insecure, Outbox outbox, double drainRate,
                         Duration keepAlive, Duration reconnectMin, Duration reconnectMax) {

    public static final String DEFAULT_TOPIC_PREFIX = "ei/v1";
    public static final double DEFAULT_DRAIN_RATE = 50;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(60);

    public MqttConfig {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
    }

    /**
     * The persistent outbox bound. Signed readings stay in the ledger for the retention period
     * whatever the outbox does, so "full" only decides which messages are not sent upstream.
     */
    public record Outbox(long maxBytes, FullPolicy whenFull) {
        public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

        public Outbox {
            Objects.requireNonNull(whenFull, "whenFull");
        }
    }

    /** What the outbox does when it reaches {@link Outbox#maxBytes()}. */
    public enum FullPolicy implements ConfigName {
        /** Discard the oldest queued readings to make room (headers are never dropped). */
        DROP_OLDEST("drop-oldest"),
        /** Keep the backlog, do not queue new readings until there is room (headers still queue). */
        DROP_NEWEST("drop-newest");

        private final String name;

        FullPolicy(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }
}
