package io.eiedge.runtime.node;

import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.model.ClockStatus;
import org.tinylog.Logger;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads one meter on its own schedule, on its own thread, so a slow or hung meter delays
 * nobody else. Platform threads, not virtual ones: a serial or GPIO read blocks in native code
 * and would pin one of the Pi's few carrier threads.
 */
final class MeterPoller implements AutoCloseable {
    private final Meter meter;
    private final long intervalNanos;
    private final Supplier<ClockStatus> clockStatus;
    private final InstantSource clock;
    private final Consumer<ReadingDraft> sink;
    private final MeterHealth health;
    private final Thread thread;
    private volatile boolean running = true;

    MeterPoller(Meter meter, Duration interval, Supplier<ClockStatus> clockStatus, InstantSource clock,
                Consumer<ReadingDraft> sink, MeterHealth health) {
        this.meter = meter;
        this.intervalNanos = interval.toNanos();
        this.clockStatus = clockStatus;
        this.clock = clock;
        this.sink = sink;
        this.health = health;
        this.thread = Thread.ofPlatform().daemon().name("meter-" + meter.id()).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            Sample sample;
            try {
                sample = meter.read();
            } catch (RuntimeException e) {
                // drivers promise not to throw; if one does, the reading still records the failure
                Logger.error(e, "meter {}: read failed unexpectedly", meter.id());
                sample = Sample.failed(meter.id(), clock.millis(), Quality.COMM_ERROR);
            }
            health.record(sample, meter.lastError(), meter.backoffUntilMs());
            try {
                sink.accept(SampleConverter.toDraft(sample, clockStatus.get()));
            } catch (RuntimeException e) {
                Logger.error(e, "meter {}: sample refused: {}", meter.id(), e.getMessage());
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // behind: read again now, but do not try to catch up a backlog
                continue;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    String meterId() {
        return meter.id();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        meter.close();
    }
}
