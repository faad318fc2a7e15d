package io.eiedge.runtime.systemd;

import org.tinylog.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds systemd's watchdog from the daemon's cycle without running a process per cycle: the cycle
 * calls {@link #cycleCompleted()} (a counter bump) every time it goes round, idle rounds included,
 * and a timer sends {@code WATCHDOG=1} every half watchdog interval, but only if the cycle moved
 * since the last tick. A stuck cycle therefore stops the pings and systemd restarts the service
 * after {@code WatchdogSec}; a live timer thread alone never keeps a hung daemon alive.
 */
public final class WatchdogFeeder implements AutoCloseable {
    private final SystemdNotifier notifier;
    private final String device;
    private final AtomicLong cycles = new AtomicLong();
    private final ScheduledExecutorService timer;
    private long cyclesAtLastTick;
    private long stalledTicks;

    private WatchdogFeeder(SystemdNotifier notifier, String device, Duration period) {
        this.notifier = notifier;
        this.device = device;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("watchdog-" + device).unstarted(r));
        long ms = Math.max(1, period.toMillis());
        timer.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts feeding when systemd asked for a watchdog (WatchdogSec set, NOTIFY_SOCKET present);
     * otherwise returns a feeder whose {@link #cycleCompleted()} only counts.
     */
    public static WatchdogFeeder start(SystemdNotifier notifier, String device) {
        return notifier.watchdogInterval()
                .filter(i -> notifier.enabled())
                .map(i -> new WatchdogFeeder(notifier, device, i.dividedBy(2)))
                .orElseGet(() -> new WatchdogFeeder(notifier, device));
    }

    private WatchdogFeeder(SystemdNotifier notifier, String device) {
        this.notifier = notifier;
        this.device = device;
        this.timer = null;
    }

    /** Whether pings are being sent (a watchdog is configured). */
    public boolean active() {
        return timer != null;
    }

    /** Called by the cycle at every round; cheap enough for every loop iteration. */
    public void cycleCompleted() {
        cycles.incrementAndGet();
    }

    private void tick() {
        long now = cycles.get();
        if (now == cyclesAtLastTick) {
            stalledTicks++;
            if (stalledTicks == 1) {
                Logger.warn("device {}: the cycle has not moved for a watchdog half-period; not feeding the systemd watchdog",
                        device);
            }
            return;
        }
        if (stalledTicks > 0) {
            Logger.info("device {}: the cycle moves again; feeding the systemd watchdog", device);
        }
        stalledTicks = 0;
        cyclesAtLastTick = now;
        notifier.watchdog();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
