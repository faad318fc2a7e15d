package io.eiedge.runtime.node;

import io.eiedge.ledger.model.ClockStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The system clock's NTP state for the reading's clock-status key: synchronised when
 * systemd-timesyncd or another NTP client reports it (timedatectl's NTPSynchronized, or
 * timesyncd's flag file), unsynchronised otherwise. Probed at most once a minute: a fork per
 * reading would cost more than the signature.
 */
final class ClockProbe implements Supplier<ClockStatus> {
    private static final long PROBE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Path TIMESYNCD_FLAG = Path.of("/run/systemd/timesync/synchronized");

    private volatile ClockStatus status = ClockStatus.UNSYNCHRONISED;
    private volatile long probedAt = System.nanoTime() - PROBE_EVERY_NANOS;

    @Override
    public ClockStatus get() {
        long now = System.nanoTime();
        if (now - probedAt >= PROBE_EVERY_NANOS) {
            probedAt = now;
            status = probe();
        }
        return status;
    }

    private static ClockStatus probe() {
        if (Files.exists(TIMESYNCD_FLAG)) {
            return ClockStatus.SYNCHRONISED;
        }
        try {
            Process p = new ProcessBuilder("timedatectl", "show", "-p", "NTPSynchronized", "--value")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(2, TimeUnit.SECONDS) && "yes".equals(out)) {
                return ClockStatus.SYNCHRONISED;
            }
        } catch (Exception e) {
            // no timedatectl (container, minimal image): nothing says the clock is synchronised
        }
        return ClockStatus.UNSYNCHRONISED;
    }
}
