package io.eiedge.drivers.modbus;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.sunspec.SunSpecProfile;
import io.eiedge.drivers.testing.FaultyTcpDevice;
import io.eiedge.drivers.testing.J2modTcpSlave;
import io.eiedge.drivers.testing.RegisterImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModbusTcpTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final MeterFactory factory = new MeterFactory(clock, Path.of("unused"), () -> {
        throw new AssertionError("no gpio in this test");
    });

    @AfterEach
    void close() {
        factory.close();
    }

    private Meter tcp(String id, int port, int unit, ModbusProfile profile, FailurePolicy policy) {
        return factory.create(new ModbusTcpMeterConfig(id, "127.0.0.1", port, unit, profile, Duration.ofMillis(300), 1, policy));
    }

    private static Measurement m(long mantissa, int scaler, String unit) {
        return new Measurement(mantissa, scaler, unit);
    }

    @Test
    void readsAnSdm630ImageExactly() throws Exception {
        try (var slave = new J2modTcpSlave(Map.of(1, RegisterImage.sdm630(WordOrder.ABCD, 12345.6f, 78.9f)));
             Meter meter = tcp("grid", slave.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT)) {
            Sample s = meter.read();
            assertEquals(0, s.quality(), meter.lastError());
            assertEquals(now.get(), s.timeMs());
            Map<String, Measurement> v = s.values();
            assertEquals(m(2301, -1, "V"), v.get(Obis.VOLTAGE_L1));
            assertEquals(m(2314, -1, "V"), v.get(Obis.VOLTAGE_L2));
            assertEquals(m(2298, -1, "V"), v.get(Obis.VOLTAGE_L3));
            assertEquals(m(525, -2, "A"), v.get(Obis.CURRENT_L1));
            assertEquals(m(5, -1, "A"), v.get(Obis.CURRENT_L2));
            assertEquals(m(1275, -2, "A"), v.get(Obis.CURRENT_L3));
            assertEquals(m(11805, -1, "W"), v.get(Obis.ACTIVE_POWER_L1));
            assertEquals(m(-9525, -2, "W"), v.get(Obis.ACTIVE_POWER_L2));
            assertEquals(m(29, 2, "W"), v.get(Obis.ACTIVE_POWER_L3));
            assertEquals(m(398525, -2, "W"), v.get(Obis.ACTIVE_POWER));
            assertEquals(m(41, 2, "VA"), v.get(Obis.APPARENT_POWER));
            assertEquals(m(5002, -2, "Hz"), v.get(Obis.FREQUENCY));
            assertEquals("12345600 Wh", v.get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            assertEquals("78900 Wh", v.get(Obis.ACTIVE_ENERGY_EXPORT).plain());
            assertEquals(14, v.size());
        }
    }

    @Test
    void discoversAndReadsSunSpecMeterAndInverter() throws Exception {
        try (var slave = new J2modTcpSlave(Map.of(2, RegisterImage.sunspecMeter(), 3, RegisterImage.sunspecInverterAt50000()));
             Meter meter = tcp("grid", slave.port(), 2, SunSpecProfile.DEFAULT, FailurePolicy.DEFAULT);
             Meter inverter = tcp("pv", slave.port(), 3, SunSpecProfile.DEFAULT, FailurePolicy.DEFAULT)) {
            Sample s = meter.read();
            assertEquals(0, s.quality(), meter.lastError());
            Map<String, Measurement> v = s.values();
            assertEquals(m(523, -2, "A"), v.get(Obis.CURRENT_L1));
            assertEquals(m(527, -2, "A"), v.get(Obis.CURRENT_L3));
            assertEquals(m(2301, -1, "V"), v.get(Obis.VOLTAGE_L1));
            assertEquals(m(231, 0, "V"), v.get(Obis.VOLTAGE_L3));
            assertEquals(m(5002, -2, "Hz"), v.get(Obis.FREQUENCY));
            assertEquals(m(-152, 1, "W"), v.get(Obis.ACTIVE_POWER));
            assertEquals(m(-51, 1, "W"), v.get(Obis.ACTIVE_POWER_L3));
            assertEquals(m(1234567, 1, "Wh"), v.get(Obis.ACTIVE_ENERGY_EXPORT));
            assertEquals(m(7654321, 1, "Wh"), v.get(Obis.ACTIVE_ENERGY_IMPORT));

            Sample p = inverter.read();
            assertEquals(0, p.quality(), inverter.lastError());
            assertEquals(m(-35, 2, "W"), p.values().get(Obis.ACTIVE_POWER), "an inverter exports");
            assertEquals(m(98765432, 0, "Wh"), p.values().get(Obis.ACTIVE_ENERGY_EXPORT));
            assertEquals(m(4998, -2, "Hz"), p.values().get(Obis.FREQUENCY));
            assertEquals(m(2311, -1, "V"), p.values().get(Obis.VOLTAGE_L2));
            assertEquals(m(401, -2, "A"), p.values().get(Obis.CURRENT_L1));
        }
    }

    @Test
    void technicianMapInEveryWordOrder() throws Exception {
        for (WordOrder order : WordOrder.values()) {
            RegisterImage img = new RegisterImage();
            img.input.put(0, 0);
            int[] f = order.split(Float.floatToIntBits(4321.5f) & 0xFFFF_FFFFL, 2);
            int[] i32 = order.split(-123456 & 0xFFFF_FFFFL, 2);
            int[] i64 = order.split(9_876_543_210_123L, 4);
            img.holding(10, f).holding(12, i32).holding(20, i64).holding(30, order.split(0xFFFE, 1)[0]);
            RegisterMap map = new RegisterMap("custom", List.of(
                    new RegisterSpec(Obis.ACTIVE_POWER, RegisterType.HOLDING, 10, DataType.FLOAT32, order, 0, "W"),
                    new RegisterSpec(Obis.ACTIVE_POWER_L1, RegisterType.HOLDING, 12, DataType.INT32, order, -1, "W"),
                    new RegisterSpec(Obis.ACTIVE_ENERGY_IMPORT, RegisterType.HOLDING, 20, DataType.INT64, order, -3, "Wh"),
                    new RegisterSpec(Obis.VOLTAGE_L1, RegisterType.HOLDING, 30, DataType.INT16, order, -2, "V")));
            try (var slave = new J2modTcpSlave(Map.of(1, img));
                 Meter meter = tcp("custom", slave.port(), 1, map, FailurePolicy.DEFAULT)) {
                Sample s = meter.read();
                assertEquals(0, s.quality(), order + ": " + meter.lastError());
                assertEquals("4321.5 W", s.values().get(Obis.ACTIVE_POWER).plain(), order.name());
                assertEquals("-12345.6 W", s.values().get(Obis.ACTIVE_POWER_L1).plain(), order.name());
                assertEquals("9876543210.123 Wh", s.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain(), order.name());
                // int16 in a byte-swapping order: 0xFFFE stored as 0xFEFF, read back as -2
                assertEquals("-0.02 V", s.values().get(Obis.VOLTAGE_L1).plain(), order.name());
            }
        }
    }

    @Test
    void wrongWordOrderAndGarbageFloatsAreFlaggedNotReported() throws Exception {
        // the device stores CDAB, the map says ABCD: 230.1 V becomes a subnormal float, energies nonsense
        RegisterImage swapped = RegisterImage.sdm630(WordOrder.CDAB, 100f, 0f);
        RegisterImage garbage = RegisterImage.sdm630(WordOrder.ABCD, 100f, 5f)
                .inputBits(0x00, 0x7FC00000)          // NaN volts
                .inputBits(0x46, 0x7F800000)          // +infinity Hz
                .inputFloat(0x4A, -5f, WordOrder.ABCD) // negative export energy
                .inputFloat(0x34, 3.0e30f, WordOrder.ABCD); // absurd power
        try (var slave = new J2modTcpSlave(Map.of(1, swapped, 2, garbage));
             Meter wrong = tcp("wrong", slave.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT);
             Meter bad = tcp("bad", slave.port(), 2, Profiles.SDM630, FailurePolicy.DEFAULT)) {
            Sample w = wrong.read();
            assertEquals(Quality.OUT_OF_RANGE, w.quality() & Quality.OUT_OF_RANGE);
            assertFalse(w.values().containsKey(Obis.FREQUENCY), "50.02 Hz with swapped words must not pass as a value");
            assertNotNull(wrong.lastError());

            Sample g = bad.read();
            assertEquals(Quality.OUT_OF_RANGE, g.quality());
            assertFalse(g.values().containsKey(Obis.VOLTAGE_L1));
            assertFalse(g.values().containsKey(Obis.FREQUENCY));
            assertFalse(g.values().containsKey(Obis.ACTIVE_ENERGY_EXPORT));
            assertFalse(g.values().containsKey(Obis.ACTIVE_POWER));
            assertEquals("100000 Wh", g.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain(), "good values of the same read stay");
            assertTrue(bad.lastError().contains("negative energy"), bad.lastError());
        }
    }

    @Test
    void energyGoingBackwardsIsFlaggedAsCounterReset() throws Exception {
        try (var slave = new J2modTcpSlave(Map.of(1, RegisterImage.sdm630(WordOrder.ABCD, 500f, 0f)));
             Meter meter = tcp("grid", slave.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT)) {
            assertEquals(0, meter.read().quality());
            int[] w = WordOrder.ABCD.split(Float.floatToIntBits(3f), 2);
            slave.setInput(1, 0x48, w[0]);
            slave.setInput(1, 0x49, w[1]);
            Sample s = meter.read();
            assertEquals(Quality.COUNTER_RESET, s.quality());
            assertEquals("3000 Wh", s.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
            assertEquals(0, meter.read().quality(), "flagged once, at the reset");
        }
    }

    @Test
    void exceptionResponseIsACommErrorAndTheNextReadTriesAgain() throws Exception {
        RegisterImage tiny = new RegisterImage();
        tiny.input.put(0, 0);
        try (var slave = new J2modTcpSlave(Map.of(1, tiny));
             var failing = new FaultyTcpDevice(FaultyTcpDevice.Mode.EXCEPTION_4);
             ModbusMeter meter = (ModbusMeter) tcp("grid", slave.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT);
             ModbusMeter busy = (ModbusMeter) tcp("busy", failing.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT)) {
            Sample s = meter.read();
            assertEquals(Quality.COMM_ERROR, s.quality());
            assertTrue(s.values().isEmpty());
            assertTrue(meter.lastError().contains("exception code 2 (illegal data address)"), meter.lastError());
            assertEquals(Quality.COMM_ERROR, busy.read().quality());
            assertTrue(busy.lastError().contains("exception code 4"), busy.lastError());
            assertEquals(1, busy.consecutiveFailures());
        }
    }

    @Test
    void silentDeviceTimesOutWithinItsDeadlineAndOthersKeepReading() throws Exception {
        try (var silent = new FaultyTcpDevice(FaultyTcpDevice.Mode.SILENT);
             var slave = new J2modTcpSlave(Map.of(1, RegisterImage.sdm630(WordOrder.ABCD, 1f, 0f)));
             Meter hung = tcp("hung", silent.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT);
             Meter good = tcp("good", slave.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT)) {
            long t0 = System.nanoTime();
            Sample s = hung.read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Quality.TIMEOUT, s.quality(), hung.lastError());
            assertTrue(ms >= 500 && ms < 3000, "300 ms timeout, 1 retry: took " + ms + " ms");
            assertEquals(0, good.read().quality());
        }
    }

    @Test
    void corruptFrameIsACommError() throws Exception {
        try (var corrupt = new FaultyTcpDevice(FaultyTcpDevice.Mode.CORRUPT);
             Meter meter = tcp("bad", corrupt.port(), 1, Profiles.SDM630, FailurePolicy.DEFAULT)) {
            Sample s = meter.read();
            assertTrue(s.values().isEmpty());
            assertTrue((s.quality() & (Quality.COMM_ERROR | Quality.TIMEOUT)) != 0, Quality.describe(s.quality()));
            assertNotNull(meter.lastError());
        }
    }

    @Test
    void backsOffReconnectsAndRecoversWhenTheGatewayReturns() throws Exception {
        int port = J2modTcpSlave.freePort();
        FailurePolicy policy = new FailurePolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(30));
        RegisterImage image = RegisterImage.sdm630(WordOrder.ABCD, 42f, 0f);
        try (ModbusMeter meter = (ModbusMeter) tcp("grid", port, 1, Profiles.SDM630, policy)) {
            Sample first;
            try (var slave = new J2modTcpSlave(port, Map.of(1, image))) {
                first = meter.read();
                assertEquals(0, first.quality());
            }
            // gateway gone: held values for 30 s, flagged
            now.addAndGet(1000);
            Sample held = meter.read();
            assertEquals(Quality.COMM_ERROR | Quality.HELD, held.quality(), meter.lastError());
            assertEquals(first.values(), held.values());
            now.addAndGet(1000);
            meter.read(); // second failure: back-off starts (10 s)
            assertEquals(2, meter.consecutiveFailures());
            try (var slave = new J2modTcpSlave(port, Map.of(1, image))) {
                now.addAndGet(5000);
                Sample skipped = meter.read();
                assertEquals(2, meter.consecutiveFailures(), "inside the back-off window the wire is left alone");
                assertTrue(skipped.values().isEmpty() || (skipped.quality() & Quality.HELD) != 0);
                assertTrue(meter.lastError().contains("backing off"), meter.lastError());
                now.addAndGet(6000);
                Sample back = meter.read();
                assertEquals(0, back.quality(), meter.lastError());
                assertEquals("42000 Wh", back.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
                assertEquals(0, meter.consecutiveFailures());
            }
            // held values expire
            now.addAndGet(60_000);
            Sample late = meter.read();
            assertTrue(late.values().isEmpty());
            assertEquals(0, late.quality() & Quality.HELD);
        }
    }
}
