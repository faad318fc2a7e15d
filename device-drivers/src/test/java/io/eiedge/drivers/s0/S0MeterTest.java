package io.eiedge.drivers.s0;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** S0 pulses through Pi4J's mock GPIO platform: the test drives the line level, with bounce. */
class S0MeterTest {
    @TempDir
    Path dir;
    private Context pi4j;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(1_700_000_000_000L + nanos.get() / 1_000_000);

    @BeforeEach
    void gpio() {
        pi4j = Pi4J.newContextBuilder().noAutoDetect()
                .add(new MockPlatform()).add(MockDigitalInputProvider.newInstance()).build();
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    private S0Meter meter(int pulsesPerKwh) {
        S0MeterConfig c = new S0MeterConfig("heatpump", 17, S0MeterConfig.Pull.UP, S0MeterConfig.Edge.FALLING,
                Duration.ofMillis(10), pulsesPerKwh, Obis.ACTIVE_ENERGY_IMPORT, Obis.ACTIVE_POWER_IMPORT);
        return new S0Meter(c, pi4j, new PulseCounterStore(dir), clock, nanos::get);
    }

    private MockDigitalInput line() {
        return pi4j.registry().get("eiedge-s0-heatpump", DigitalInput.class) instanceof MockDigitalInput m ? m : null;
    }

    private void after(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    /** One S0 pulse of {@code widthMs} (line pulled low), with contact bounce at both edges, then a pause. */
    private void pulse(MockDigitalInput in, long widthMs, long pauseMs, boolean bounce) {
        in.mockState(DigitalState.LOW);
        if (bounce) {
            after(1); in.mockState(DigitalState.HIGH);
            after(1); in.mockState(DigitalState.LOW);
            after(1); in.mockState(DigitalState.HIGH);
            after(1); in.mockState(DigitalState.LOW);
            widthMs -= 4;
        }
        after(widthMs);
        in.mockState(DigitalState.HIGH);
        if (bounce) {
            after(2); in.mockState(DigitalState.LOW);
            after(1); in.mockState(DigitalState.HIGH);
            pauseMs -= 3;
        }
        after(pauseMs);
    }

    @Test
    void countsBouncyPulsesExactlyAndReportsEnergyAndPower() {
        try (S0Meter m = meter(800)) {
            MockDigitalInput in = line();
            in.mockState(DigitalState.HIGH);
            after(100);
            Sample first = m.read();
            assertEquals(Quality.COUNTER_RESET, first.quality(), "no counter file yet: a fresh counter is flagged once");
            assertEquals("0 Wh", first.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            for (int i = 0; i < 1000; i++) {
                pulse(in, 30 + (i % 61), 90, i % 3 != 0); // 30-90 ms pulses, two in three bouncing
            }
            Sample s = m.read();
            assertEquals(0, s.quality());
            assertEquals(1000, m.count());
            // 1000 pulses at 800 imp/kWh = 1.25 kWh exactly
            assertEquals("1250 Wh", s.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            // last pulse interval = width + pause: pulse 999 is 30 + (999 % 61) = 53 ms wide, + 90 ms pause = 143 ms
            // 1.25 Wh per pulse every 143 ms = 31468.5 W
            assertEquals("31468.5 W", s.values().get(Obis.ACTIVE_POWER_IMPORT).plain());
        }
    }

    @Test
    void counterSurvivesRestartAndCorruptFilesAreFlagged() throws Exception {
        try (S0Meter m = meter(1000)) {
            MockDigitalInput in = line();
            in.mockState(DigitalState.HIGH);
            after(50);
            for (int i = 0; i < 37; i++) {
                pulse(in, 40, 60, true);
            }
            assertEquals("37 Wh", m.read().values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            for (int i = 0; i < 5; i++) {
                pulse(in, 40, 60, false);
            }
        } // close persists the 5 pulses counted after the last read
        assertTrue(Files.readString(dir.resolve("heatpump.pulses")).contains("count=42"));
        try (S0Meter m = meter(1000)) {
            Sample s = m.read();
            assertEquals(0, s.quality(), "a restored counter is not a reset");
            assertEquals("42 Wh", s.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            assertFalse(s.values().containsKey(Obis.ACTIVE_POWER_IMPORT), "no power before two pulses were seen");
        }
        Files.writeString(dir.resolve("heatpump.pulses"), "eiedge-pulses 1\ncount=4x\n");
        try (S0Meter m = meter(1000)) {
            Sample s = m.read();
            assertEquals(Quality.COUNTER_RESET, s.quality());
            assertEquals("0 Wh", s.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            assertTrue(Files.exists(dir.resolve("heatpump.pulses.corrupt")), "the corrupt file is kept for a human");
        }
    }

    @Test
    void risingEdgeAndNonTerminatingConstants() {
        S0MeterConfig c = new S0MeterConfig("pv", 4, S0MeterConfig.Pull.DOWN, S0MeterConfig.Edge.RISING,
                Duration.ofMillis(5), 3, Obis.ACTIVE_ENERGY_EXPORT, null);
        try (S0Meter m = new S0Meter(c, pi4j, new PulseCounterStore(dir), clock, nanos::get)) {
            MockDigitalInput in = pi4j.registry().get("eiedge-s0-pv", DigitalInput.class) instanceof MockDigitalInput x ? x : null;
            in.mockState(DigitalState.LOW);
            for (int i = 0; i < 2; i++) {
                after(100);
                in.mockState(DigitalState.HIGH);
                after(40);
                in.mockState(DigitalState.LOW);
            }
            Sample s = m.read();
            assertEquals(2, m.count());
            assertEquals("666.667 Wh", s.values().get(Obis.ACTIVE_ENERGY_EXPORT).plain(), "2000/3 Wh to 1 mWh");
            assertEquals(1, s.values().size());
        }
    }

    @Test
    void configErrorsNameTheMeterAndTheProblem() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new S0MeterConfig("x", 17,
                S0MeterConfig.Pull.UP, S0MeterConfig.Edge.FALLING, Duration.ofMillis(50), 1000, Obis.ACTIVE_ENERGY_IMPORT, null));
        assertTrue(e.getMessage().contains("meter x: debounce"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new S0MeterConfig("x", 17,
                S0MeterConfig.Pull.UP, S0MeterConfig.Edge.FALLING, Duration.ofMillis(5), 1000, Obis.VOLTAGE_L1, null));
        assertTrue(e.getMessage().contains("not an energy register"), e.getMessage());
    }
}
