package io.eiedge.runtime.systemd;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The notifier against a real notify socket, with systemd's own systemd-notify doing the sending. */
class SystemdNotifierTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        assumeTrue(NotifySocket.available(), "needs perl and systemd-notify (Debian package systemd) on the PATH");
    }

    @Test
    void withoutNotifySocketNothingIsSentAndNoWatchdogApplies() {
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "1000000"), 42);
        assertFalse(n.enabled());
        assertEquals(Optional.empty(), n.watchdogInterval());
        assertFalse(n.ready("up"), "a notifier without NOTIFY_SOCKET reports nothing sent");
        assertFalse(n.watchdog());
        try (WatchdogFeeder f = WatchdogFeeder.start(n, "router-07")) {
            assertFalse(f.active());
            f.cycleCompleted();
        }
    }

    @Test
    void readyStatusAndStoppingArriveAsSystemdExpectsThem() throws Exception {
        try (NotifySocket socket = NotifySocket.open(dir)) {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.path()), 42);
            assertTrue(n.enabled());
            assertTrue(n.ready("router-07: 2 meters, height 5"));
            assertTrue(n.status("router-07: broker unreachable"));
            assertTrue(n.stopping("router-07: stopping"));
            assertTrue(socket.await(m -> m.startsWith("STOPPING=1"), Duration.ofSeconds(5)));
            assertEquals(List.of("READY=1\nSTATUS=router-07: 2 meters, height 5",
                    "STATUS=router-07: broker unreachable",
                    "STOPPING=1\nSTATUS=router-07: stopping"), socket.messages());
        }
    }

    @Test
    void aStatusCannotSmuggleInAnotherAssignment() throws Exception {
        try (NotifySocket socket = NotifySocket.open(dir)) {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.path()), 42);
            assertTrue(n.status("meter grid\nREADY=1\nMAINPID=1"));
            assertTrue(socket.await(m -> m.startsWith("STATUS="), Duration.ofSeconds(5)));
            assertEquals(List.of("STATUS=meter grid READY=1 MAINPID=1"), socket.messages());
        }
    }

    @Test
    void aSocketNobodyListensOnIsReportedNotThrown() throws Exception {
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("absent").toString()), 42);
        assertTrue(n.enabled());
        assertFalse(n.ready("up"), "systemd-notify fails when no one listens; the daemon carries on");
    }

    @Test
    void theWatchdogIntervalFollowsSystemdsRules() {
        String socket = dir.resolve("notify").toString();
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "30000000"), 42).watchdogInterval());
        assertEquals(Optional.of(Duration.ofSeconds(30)), SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42).watchdogInterval());
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42).watchdogInterval(),
                "a watchdog meant for another process is not ours to feed");
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "soon"), 42).watchdogInterval());
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), 42).watchdogInterval());
    }

    @Test
    void theWatchdogIsFedWhileTheCycleTurnsAndStarvedWhenItSticks() throws Exception {
        try (NotifySocket socket = NotifySocket.open(dir)) {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(
                    Map.of("NOTIFY_SOCKET", socket.path(), "WATCHDOG_USEC", "400000"), 42);
            try (WatchdogFeeder feeder = WatchdogFeeder.start(n, "router-07")) {
                assertTrue(feeder.active());
                // a turning cycle: pings arrive
                long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                while (System.nanoTime() < end) {
                    feeder.cycleCompleted();
                    Thread.sleep(20);
                }
                assertTrue(socket.await(m -> m.equals("WATCHDOG=1"), Duration.ofSeconds(5)));
                long fed = count(socket, "WATCHDOG=1");
                assertTrue(fed >= 2, "several pings while the cycle turned, got " + fed);

                // a stuck cycle: let an in-flight ping land, then no more pings for many periods
                Thread.sleep(600);
                long atStall = count(socket, "WATCHDOG=1");
                Thread.sleep(1500);
                assertEquals(atStall, count(socket, "WATCHDOG=1"), "no ping while the cycle is stuck");

                // the cycle moves again: pings resume
                feeder.cycleCompleted();
                assertTrue(waitForCount(socket, atStall + 1, Duration.ofSeconds(5)), "pings resume when the cycle moves");
            }
        }
    }

    private static long count(NotifySocket socket, String message) {
        return socket.messages().stream().filter(message::equals).count();
    }

    private static boolean waitForCount(NotifySocket socket, long atLeast, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (count(socket, "WATCHDOG=1") >= atLeast) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
