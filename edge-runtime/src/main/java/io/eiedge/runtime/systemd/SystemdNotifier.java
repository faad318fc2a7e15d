package io.eiedge.runtime.systemd;

import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd how the daemon is doing (sd_notify protocol): {@code READY=1} once the ledger is
 * open and the meters have been polled, {@code WATCHDOG=1} while the cycle turns, {@code STOPPING=1}
 * on the way out, and a one-line {@code STATUS=} for {@code systemctl status}.
 *
 * <p>{@code NOTIFY_SOCKET} is an AF_UNIX <em>datagram</em> socket, which the JDK cannot send to
 * (its Unix-domain support is stream-only, and the FFM API is not final in Java 21), so the
 * messages go through systemd's own {@code systemd-notify} tool, which is installed wherever
 * systemd runs. It waits until systemd has taken the message (a notify barrier), so the message
 * is credited to our unit although the tool exits at once; the unit sets {@code NotifyAccess=all}
 * because the sender is a child of the main process. Without {@code NOTIFY_SOCKET} (run by hand,
 * in tests, in the demo) every call does nothing. A notification that fails is logged and never
 * stops the daemon.
 */
public final class SystemdNotifier {
    /** systemd-notify waits up to 5 s for its barrier; give it a little more before giving up. */
    private static final long SEND_TIMEOUT_MS = 7_000;

    private final String notifySocket;
    private final List<String> command;
    private final Optional<Duration> watchdogInterval;

    SystemdNotifier(String notifySocket, List<String> command, Optional<Duration> watchdogInterval) {
        this.notifySocket = notifySocket;
        this.command = List.copyOf(command);
        this.watchdogInterval = watchdogInterval;
    }

    /** A notifier for this process, from {@code System.getenv()} and its own pid. */
    public static SystemdNotifier fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * A notifier from the variables systemd sets: {@code NOTIFY_SOCKET} (none: a no-op notifier),
     * {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} (the watchdog applies to us only when that
     * pid is ours or unset, as sd_watchdog_enabled(3) says).
     */
    public static SystemdNotifier fromEnvironment(Map<String, String> env, long ownPid) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return new SystemdNotifier(null, List.of(), Optional.empty());
        }
        return new SystemdNotifier(socket, List.of("systemd-notify"), watchdogInterval(env, ownPid));
    }

    private static Optional<Duration> watchdogInterval(Map<String, String> env, long ownPid) {
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.equals(Long.toString(ownPid)))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            Logger.warn("systemd: WATCHDOG_USEC={} is not a number; watchdog not fed", usec);
            return Optional.empty();
        }
    }

    /** Whether systemd listens (NOTIFY_SOCKET set); when false every call is a no-op. */
    public boolean enabled() {
        return notifySocket != null;
    }

    /** The unit's WatchdogSec as systemd passed it; empty when no watchdog applies to this process. */
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    /** {@code READY=1} with a status line: the ledger is open and the meters have been polled. */
    public boolean ready(String status) {
        return send("READY=1", "STATUS=" + oneLine(status));
    }

    /** {@code WATCHDOG=1}: the cycle is turning. Prefer {@link WatchdogFeeder}, which paces this. */
    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    /** A new status line for {@code systemctl status eiedge}. */
    public boolean status(String status) {
        return send("STATUS=" + oneLine(status));
    }

    /** {@code STOPPING=1}: shutting down on purpose, so a slow stop is not taken for a hang. */
    public boolean stopping(String status) {
        return send("STOPPING=1", "STATUS=" + oneLine(status));
    }

    /** Sends the assignments as one datagram; true when systemd-notify says it was delivered. */
    boolean send(String... assignments) {
        if (!enabled()) {
            return false;
        }
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(assignments));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NOTIFY_SOCKET", notifySocket);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                Logger.warn("systemd: {} did not finish within {} ms", String.join(" ", cmd), SEND_TIMEOUT_MS);
                return false;
            }
            if (p.exitValue() != 0) {
                Logger.warn("systemd: {} failed ({}): {}", String.join(" ", cmd), p.exitValue(),
                        new String(out, StandardCharsets.UTF_8).strip());
                return false;
            }
            return true;
        } catch (IOException e) {
            Logger.warn("systemd: cannot run {}: {}", command.get(0), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A status is one assignment: a newline in it would smuggle in another (READY=1, MAINPID=…). */
    static String oneLine(String text) {
        String s = text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
