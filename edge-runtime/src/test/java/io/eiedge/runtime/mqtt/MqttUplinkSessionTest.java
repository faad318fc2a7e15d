package io.eiedge.runtime.mqtt;

import static io.eiedge.runtime.mqtt.UplinkFixtures.DEVICE;
import static io.eiedge.runtime.mqtt.UplinkFixtures.STATE_TOPIC;
import static io.eiedge.runtime.mqtt.UplinkFixtures.mqtt;
import static io.eiedge.runtime.mqtt.UplinkFixtures.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import io.eiedge.runtime.testsupport.TcpRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection life-cycle against a real mosquitto (plain tcp with the insecure flag, so the relay
 * can cut connections): the retained state and the will as a {@code mosquitto_sub} sees them,
 * the persisted session counter, outages, and when publish futures complete.
 */
class MqttUplinkSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern SESSION = Pattern.compile("\"session\":(\\d+)");

    @TempDir
    Path dir;

    private MqttUplink uplink(int port, Path data) throws Exception {
        return new MqttUplink(DEVICE, mqtt("tcp://127.0.0.1:" + port, true), Optional.empty(),
                SessionCounter.open(data), () -> ChainPosition.NONE, Clock.systemUTC());
    }

    private static MosquittoSub.Message retainedState(Mosquitto broker) throws Exception {
        try (MosquittoSub sub = MosquittoSub.plain(broker, STATE_TOPIC, false)) {
            MosquittoSub.Message m = sub.await(x -> true, WAIT);
            assertTrue(m.retained(), "the state is retained");
            return m;
        }
    }

    private static long session(MosquittoSub.Message m) {
        Matcher matcher = SESSION.matcher(m.payload());
        assertTrue(matcher.find(), m.payload());
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void aLateWillNeverOutranksTheReconnectedSessionAndTheCounterSurvivesRestarts() throws Exception {
        Path data = dir.resolve("data");
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             TcpRelay relay = new TcpRelay(broker.port());
             MosquittoSub watcher = MosquittoSub.plain(broker, STATE_TOPIC, false)) {
            UplinkFixtures.Events events = new UplinkFixtures.Events();
            try (MqttUplink uplink = uplink(relay.port(), data)) {
                uplink.addListener(events);
                uplink.start();
                assertEquals("up 1", events.next(WAIT));
                watcher.await(m -> m.payload().startsWith(state(true, 1)), WAIT);

                // the network drops: the broker publishes the will (offline, session 1), the device comes back as 2
                relay.cut();
                assertEquals("down", events.next(WAIT));
                watcher.await(m -> m.payload().startsWith(state(false, 1)), WAIT);
                assertEquals("up 2", events.next(WAIT));
                watcher.await(m -> m.payload().startsWith(state(true, 2)), WAIT);
                assertTrue(retainedState(broker).payload().startsWith(state(true, 2)));

                // the broker restarts: the device reconnects by itself with session 3
                broker.stop();
                assertEquals("down", events.next(WAIT));
                broker.start();
                assertEquals("up 3", events.next(WAIT));
                assertTrue(retainedState(broker).payload().startsWith(state(true, 3)));
            }
            // clean shutdown: offline with the current session, since a clean disconnect suppresses the will
            assertTrue(retainedState(broker).payload().startsWith(state(false, 3)));
            assertEquals("3", Files.readString(data.resolve(SessionCounter.FILE_NAME)).strip());

            // the daemon restarts: the persisted counter continues
            try (MqttUplink again = uplink(relay.port(), data)) {
                UplinkFixtures.Events e2 = new UplinkFixtures.Events();
                again.addListener(e2);
                again.start();
                assertEquals("up 4", e2.next(WAIT));
                assertTrue(retainedState(broker).payload().startsWith(state(true, 4)));
            }

            // mosquitto_sub reconnects after the broker restart on its own schedule: wait until it has
            // caught up (the retained offline of session 4 reaches it live or on resubscribing)
            watcher.await(m -> m.payload().startsWith(state(false, 4)), WAIT);

            // the watcher saw sessions only ever grow (no will of an older session after a newer online),
            // and a subscriber applying DESIGN's rule (ignore states of an older session) ends where the device is
            List<MosquittoSub.Message> seen = watcher.received();
            long previous = 0;
            String conclusion = null;
            long concludedSession = 0;
            for (MosquittoSub.Message m : seen) {
                long s = session(m);
                assertTrue(s >= previous, "session went back from " + previous + " to " + s + ": " + seen);
                previous = s;
                if (s >= concludedSession) {
                    concludedSession = s;
                    conclusion = m.payload().contains("\"online\"") ? "online" : "offline";
                }
            }
            assertEquals(4, concludedSession, seen.toString());
            assertEquals("offline", conclusion, "the second uplink closed cleanly: " + seen);
        }
    }

    @Test
    void theFirstConnectSucceedsOnceTheBrokerComesUp() throws Exception {
        Mosquitto broker = Mosquitto.plain(dir.resolve("broker")); // not started yet
        try (broker; MqttUplink uplink = uplink(broker.port(), dir.resolve("data"))) {
            UplinkFixtures.Events events = new UplinkFixtures.Events();
            uplink.addListener(events);
            uplink.start();
            Thread.sleep(1500); // several attempts with back-off fail meanwhile
            assertFalse(uplink.isConnected());
            assertTrue(uplink.lastFailure().isPresent());
            assertTrue(events.queue.isEmpty());
            assertInstanceOf(MqttUplink.NotConnectedException.class, assertThrows(ExecutionException.class,
                    () -> uplink.publish(uplink.topics().reading(), new byte[] {1}, false).get(1, TimeUnit.SECONDS))
                    .getCause());

            broker.start();
            String up = events.next(WAIT);
            assertTrue(up.startsWith("up "), up);
            assertTrue(uplink.isConnected());
            MosquittoSub.Message state = retainedState(broker);
            assertTrue(state.payload().startsWith(state(true, uplink.session())), state.payload());
        }
    }

    @Test
    void aPublishCompletesOnlyWhenTheBrokerAcknowledges() throws Exception {
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             TcpRelay relay = new TcpRelay(broker.port());
             MosquittoSub sub = MosquittoSub.plain(broker, "ei/v1/lab/router-07/reading", false);
             MqttUplink uplink = uplink(relay.port(), dir.resolve("data"))) {
            UplinkFixtures.Events events = new UplinkFixtures.Events();
            uplink.addListener(events);
            uplink.start();
            assertEquals("up 1", events.next(WAIT));

            broker.freeze(); // the broker holds the message: no PUBACK
            CompletableFuture<Void> held = uplink.publish(uplink.topics().reading(), bytes("r-1"), false);
            Thread.sleep(700);
            assertFalse(held.isDone(), "completed without an acknowledgement");
            broker.thaw();
            held.get(10, TimeUnit.SECONDS);
            assertEquals("r-1", sub.await(m -> true, WAIT).payload());

            // unacknowledged when the connection drops: the future fails, the caller (outbox) keeps the message
            broker.freeze();
            CompletableFuture<Void> lost = uplink.publish(uplink.topics().reading(), bytes("r-2"), false);
            Thread.sleep(300);
            relay.cut();
            ExecutionException e = assertThrows(ExecutionException.class, () -> lost.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() != null);
            broker.thaw();
            assertEquals("down", events.next(WAIT));
            assertEquals("up 2", events.next(WAIT));
            uplink.publish(uplink.topics().reading(), bytes("r-3"), false).get(10, TimeUnit.SECONDS);
            assertEquals("r-3", sub.await(m -> m.payload().equals("r-3"), WAIT).payload());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
