package io.eiedge.drivers.sim;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedMeterTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-06-21T00:00:00Z");

    private static SimulatedMeterConfig config(String id, SimulatedMeterConfig.Kind kind, long seed) {
        return new SimulatedMeterConfig(id, kind, seed, 5000, 10_000, 50, Duration.ofSeconds(1), ZoneOffset.UTC, MIDNIGHT);
    }

    private static List<Sample> run(SimulatedMeterConfig c, long everyMs, long untilMs) {
        AtomicLong now = new AtomicLong(MIDNIGHT.toEpochMilli());
        SimulatedMeter m = new SimulatedMeter(c, () -> Instant.ofEpochMilli(now.get()));
        List<Sample> out = new ArrayList<>();
        for (long t = 0; t <= untilMs; t += everyMs) {
            now.set(MIDNIGHT.toEpochMilli() + t);
            out.add(m.read());
        }
        return out;
    }

    @Test
    void sameSeedAndClockGiveTheSameSamplesWhateverTheReadRate() {
        var c = config("pv", SimulatedMeterConfig.Kind.PV, 7);
        List<Sample> a = run(c, 60_000, 86_400_000);
        List<Sample> b = run(c, 60_000, 86_400_000);
        assertEquals(a, b);
        // read every 10 s instead: the samples at whole minutes are identical
        List<Sample> fine = run(c, 10_000, 86_400_000);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), fine.get(i * 6));
        }
        assertNotEquals(a, run(config("pv", SimulatedMeterConfig.Kind.PV, 8), 60_000, 86_400_000), "another seed, another day");
        a.forEach(s -> assertEquals(Quality.SIMULATED, s.quality()));
    }

    @Test
    void energyIsTheIntegralOfPower() {
        for (var kind : SimulatedMeterConfig.Kind.values()) {
            var c = config(kind.name().toLowerCase(), kind, 3);
            // read at every step: power is constant over each step, so energy must grow by exactly p x 1 s
            List<Sample> s = run(c, 1000, 86_400_000);
            BigDecimal imported = BigDecimal.ZERO;
            BigDecimal exported = BigDecimal.ZERO;
            String powerCode = kind == SimulatedMeterConfig.Kind.HEAT ? Obis.HEAT_POWER : Obis.ACTIVE_POWER;
            for (int i = 0; i < s.size() - 1; i++) {
                long p = s.get(i).values().get(powerCode).value().longValueExact();
                BigDecimal wh = BigDecimal.valueOf(Math.abs(p)).divide(BigDecimal.valueOf(3600), 20, java.math.RoundingMode.HALF_EVEN);
                if (p > 0) imported = imported.add(wh); else exported = exported.add(wh);
            }
            Sample last = s.getLast();
            String importCode = kind == SimulatedMeterConfig.Kind.HEAT ? Obis.HEAT_ENERGY : Obis.ACTIVE_ENERGY_IMPORT;
            if (last.values().containsKey(importCode)) {
                assertClose(imported, last.values().get(importCode), kind + " import");
            }
            if (last.values().containsKey(Obis.ACTIVE_ENERGY_EXPORT)) {
                assertClose(exported, last.values().get(Obis.ACTIVE_ENERGY_EXPORT), kind + " export");
            }
            BigDecimal total = imported.add(exported);
            assertTrue(total.compareTo(BigDecimal.valueOf(1000)) > 0, kind + " moved some energy in a day: " + total);
        }
    }

    private static void assertClose(BigDecimal expectedWh, Measurement actual, String what) {
        assertEquals("Wh", actual.unit());
        // registers carry 1 mWh, floored
        BigDecimal diff = expectedWh.subtract(actual.value()).abs();
        assertTrue(diff.compareTo(new BigDecimal("0.001")) < 0, what + ": integral " + expectedWh + " Wh, register " + actual.plain());
    }

    @Test
    void pvIsDarkAtNightAndExportsAtNoon() {
        List<Sample> day = run(config("pv", SimulatedMeterConfig.Kind.PV, 1), 3_600_000, 86_400_000);
        assertEquals(0, day.get(2).values().get(Obis.ACTIVE_POWER).mantissa(), "02:00");
        assertTrue(day.get(13).values().get(Obis.ACTIVE_POWER).value().signum() < 0, "13:00 exports");
    }

    @Test
    void batteryStaysWithinItsCapacityAndItsContentAddsUp() {
        var c = config("battery", SimulatedMeterConfig.Kind.BATTERY, 5);
        for (Sample s : run(c, 60_000, 3 * 86_400_000L)) {
            BigDecimal soc = s.values().get(Obis.PRIVATE_BATTERY_STATE_OF_CHARGE).value();
            assertEquals("%EL", s.values().get(Obis.PRIVATE_BATTERY_STATE_OF_CHARGE).unit());
            assertTrue(soc.compareTo(BigDecimal.ZERO) >= 0 && soc.compareTo(BigDecimal.valueOf(100)) <= 0, "soc " + soc);
            BigDecimal content = s.values().get(Obis.PRIVATE_STORE_ENERGY_CONTENT).value();
            BigDecimal expected = BigDecimal.valueOf(5000).add(s.values().get(Obis.ACTIVE_ENERGY_IMPORT).value())
                    .subtract(s.values().get(Obis.ACTIVE_ENERGY_EXPORT).value());
            assertTrue(content.subtract(expected).abs().compareTo(new BigDecimal("0.002")) <= 0, content + " vs " + expected);
        }
    }

    @Test
    void heatMeterReportsHeatEnergyUnderItsObisCode() {
        Sample s = run(config("heat", SimulatedMeterConfig.Kind.HEAT, 2), 3_600_000, 7_200_000).getLast();
        assertEquals("Wh", s.values().get("6-0:1.0.0").unit());
        assertEquals("m3", s.values().get(Obis.HEAT_VOLUME).unit());
        assertEquals("Cel", s.values().get(Obis.HEAT_FLOW_TEMPERATURE).unit());
    }

    @Test
    void aClockThatJumpsBackReplaysTheSameValues() {
        AtomicLong now = new AtomicLong(MIDNIGHT.toEpochMilli() + 50_000_000);
        SimulatedMeter m = new SimulatedMeter(config("load", SimulatedMeterConfig.Kind.LOAD, 9), () -> Instant.ofEpochMilli(now.get()));
        Sample at = m.read();
        now.addAndGet(1_000_000);
        m.read();
        now.addAndGet(-1_000_000);
        assertEquals(at, m.read());
    }
}
