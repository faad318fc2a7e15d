package io.eiedge.runtime.mqtt;

import io.eiedge.runtime.config.DeviceConfig;
import io.eiedge.runtime.config.MqttConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Shared bits of the uplink tests: a device, quick back-off settings, a listener that records events. */
final class UplinkFixtures {
    static final DeviceConfig DEVICE = new DeviceConfig("router-07", "lab", DeviceConfig.Role.ROUTER);
    static final String STATE_TOPIC = "ei/v1/lab/router-07/state";

    private UplinkFixtures() {
    }

    static MqttConfig mqtt(String broker, boolean insecure) {
        return new MqttConfig(URI.create(broker), "ei/v1", insecure,
                new MqttConfig.Outbox(MqttConfig.Outbox.DEFAULT_MAX_BYTES, MqttConfig.FullPolicy.DROP_OLDEST), 50,
                Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    /** Records connection events in order: "up N" and "down". */
    static final class Events implements ConnectionListener {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void connected(long session) {
            queue.add("up " + session);
        }

        @Override
        public void disconnected(Throwable cause) {
            queue.add("down");
        }

        String next(Duration timeout) throws InterruptedException {
            String e = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) throw new AssertionError("no connection event within " + timeout);
            return e;
        }
    }

    static String state(boolean online, long session) {
        return "{\"state\":\"" + (online ? "online" : "offline") + "\",\"session\":" + session + ",";
    }
}
