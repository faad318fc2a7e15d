package io.eiedge.drivers.s0;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import org.tinylog.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.InstantSource;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An S0 pulse meter on a GPIO line through Pi4J (the gpiod provider on a Pi 4/5: no root, edge
 * events from the kernel). Pulses are counted on edges as they happen (30–90 ms pulses would be
 * missed by polling); {@link #read()} only reports the count as energy and persists it when it
 * changed, so a restart loses at most the pulses of one poll cycle. The first sample after the
 * counter restarted from 0 (no or corrupt counter file) carries {@link Quality#COUNTER_RESET}.
 */
public final class S0Meter implements Meter {
    private final S0MeterConfig config;
    private final Context gpio;
    private final DigitalInput input;
    private final PulseCounter counter;
    private final PulseCounterStore store;
    private final InstantSource clock;
    private final LongSupplier nanos;
    private final BigDecimal whPerPulse;
    private long savedCount;
    private boolean resetPending;
    private String lastError;

    /**
     * @param gpio  a Pi4J context with a digital input provider (gpiod on hardware, mock in tests)
     * @param nanos monotonic time for debouncing and intervals, normally {@code System::nanoTime}
     */
    public S0Meter(S0MeterConfig config, Context gpio, PulseCounterStore store, InstantSource clock, LongSupplier nanos) {
        this.config = config;
        this.gpio = gpio;
        this.store = store;
        this.clock = clock;
        this.nanos = nanos;
        this.whPerPulse = BigDecimal.valueOf(1000).divide(BigDecimal.valueOf(config.pulsesPerKwh()), 9, RoundingMode.HALF_EVEN).stripTrailingZeros();
        PulseCounterStore.Loaded loaded = store.load(config.id());
        if (loaded.reset()) {
            Logger.warn("meter {}: {}", config.id(), loaded.note());
        }
        this.resetPending = loaded.reset();
        this.savedCount = loaded.reset() ? -1 : loaded.count();
        this.counter = new PulseCounter(loaded.count(), TimeUnit.NANOSECONDS.convert(config.debounce()));
        DigitalState activeState = config.edge() == S0MeterConfig.Edge.FALLING ? DigitalState.LOW : DigitalState.HIGH;
        this.input = gpio.create(DigitalInput.newConfigBuilder(gpio)
                .id("eiedge-s0-" + config.id())
                .name("S0 meter " + config.id())
                .address(config.gpio())
                .pull(switch (config.pull()) {
                    case UP -> PullResistance.PULL_UP;
                    case DOWN -> PullResistance.PULL_DOWN;
                    case OFF -> PullResistance.OFF;
                })
                // the kernel's debounce (gpiod) filters most chatter; PulseCounter filters the rest
                .debounce(TimeUnit.MICROSECONDS.convert(config.debounce()), TimeUnit.MICROSECONDS));
        input.addListener(e -> counter.level(e.state() == activeState, nanos.getAsLong()));
        Logger.info("meter {}: counting S0 pulses on gpio {} ({} edge, {} imp/kWh) from {}", config.id(), config.gpio(),
                config.edge(), config.pulsesPerKwh(), loaded.count());
    }

    @Override
    public String id() {
        return config.id();
    }

    /** Pulses counted since the counter file was created. */
    public long count() {
        return counter.count();
    }

    @Override
    public synchronized Sample read() {
        long now = clock.millis();
        long count = counter.count();
        persist(count);
        TreeMap<String, Measurement> values = new TreeMap<>();
        values.put(config.energyObis(), energy(count));
        if (config.powerObis() != null) {
            long interval = counter.pulseIntervalNanos(nanos.getAsLong());
            if (interval > 0) {
                BigDecimal watts = whPerPulse.multiply(BigDecimal.valueOf(3_600_000_000_000L))
                        .divide(BigDecimal.valueOf(interval), 1, RoundingMode.HALF_EVEN);
                values.put(config.powerObis(), Measurement.of(watts, "W"));
            }
        }
        int quality = resetPending ? Quality.COUNTER_RESET : 0;
        resetPending = false;
        return new Sample(config.id(), now, values, quality);
    }

    /** Energy of {@code count} pulses, exact for every constant that divides a power of ten; else to 1 mWh. */
    private Measurement energy(long count) {
        BigDecimal wh;
        try {
            wh = BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(1000)).divide(BigDecimal.valueOf(config.pulsesPerKwh()));
        } catch (ArithmeticException nonTerminating) {
            wh = BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(1000))
                    .divide(BigDecimal.valueOf(config.pulsesPerKwh()), 3, RoundingMode.HALF_EVEN);
        }
        return Measurement.of(wh, "Wh");
    }

    private void persist(long count) {
        if (count == savedCount) {
            return;
        }
        try {
            store.save(config.id(), count);
            savedCount = count;
            lastError = null;
        } catch (IOException e) {
            lastError = "cannot save pulse counter " + store.file(config.id()) + ": " + e.getMessage();
            Logger.error("meter {}: {}", config.id(), lastError);
        }
    }

    @Override
    public synchronized String lastError() {
        return lastError;
    }

    @Override
    public synchronized void close() {
        persist(counter.count());
        try {
            gpio.shutdown(input);
        } catch (RuntimeException e) {
            Logger.warn("meter {}: releasing gpio {}: {}", config.id(), config.gpio(), e.getMessage());
        }
    }
}
