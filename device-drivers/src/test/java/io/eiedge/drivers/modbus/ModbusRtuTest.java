package io.eiedge.drivers.modbus;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.testing.RegisterImage;
import io.eiedge.drivers.testing.RtuTestSlave;
import io.eiedge.drivers.testing.SocatPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modbus RTU over a real serial line: a socat pty pair, the driver on one end, test devices on the other. */
class ModbusRtuTest {
    @TempDir
    Path dir;
    private SocatPair line;
    private RtuTestSlave devices;
    private MeterFactory factory;
    private SerialBusConfig bus;

    @BeforeEach
    void start() throws Exception {
        line = new SocatPair(dir);
        devices = new RtuTestSlave(line.slaveEnd())
                .unit(1, RegisterImage.sdm630(WordOrder.ABCD, 1111.5f, 2.25f))
                .unit(2, RegisterImage.sdm630(WordOrder.ABCD, 2222.5f, 0f));
        factory = new MeterFactory(InstantSource.system(), dir, () -> {
            throw new AssertionError("no gpio here");
        });
        bus = new SerialBusConfig(line.masterEnd(), 115200, 8, SerialBusConfig.Parity.NONE, 1,
                Duration.ofMillis(150), 1, Duration.ofMillis(2));
    }

    @AfterEach
    void stop() throws Exception {
        factory.close();
        devices.close();
        line.close();
    }

    /**
     * Tests that count requests or demand every read good must not see a timeout that only
     * a busy CI machine causes: they get a bus with a patient timeout.
     */
    private void patientBus() throws java.io.IOException {
        bus = new SerialBusConfig(line.masterEnd(), 115200, 8, SerialBusConfig.Parity.NONE, 1,
                Duration.ofSeconds(3), 1, Duration.ofMillis(2));
    }

    private Meter meter(String id, int unit, FailurePolicy policy) {
        return factory.create(new ModbusRtuMeterConfig(id, bus, unit, Profiles.SDM630, policy));
    }

    @Test
    void twoMetersShareOneBusAndReadExactValues() throws Exception {
        patientBus();
        try (ModbusMeter a = (ModbusMeter) meter("grid", 1, FailurePolicy.DEFAULT);
             ModbusMeter b = (ModbusMeter) meter("heatpump", 2, FailurePolicy.DEFAULT)) {
            assertSame(a.link(), b.link(), "one serial port for the bus");
            for (int i = 0; i < 20; i++) {
                Sample sa = a.read();
                Sample sb = b.read();
                assertEquals(0, sa.quality(), a.lastError());
                assertEquals(0, sb.quality(), b.lastError());
                assertEquals("1111500 Wh", sa.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
                assertEquals("2250 Wh", sa.values().get(Obis.ACTIVE_ENERGY_EXPORT).plain());
                assertEquals("2222500 Wh", sb.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
                assertEquals("230.1 V", sb.values().get(Obis.VOLTAGE_L1).plain());
            }
        }
    }

    @Test
    void concurrentReadersTakeTurnsOnTheBus() throws Exception {
        patientBus();
        try (Meter a = meter("grid", 1, FailurePolicy.DEFAULT); Meter b = meter("heatpump", 2, FailurePolicy.DEFAULT)) {
            List<Thread> threads = List.of(a, b).stream().map(m -> Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 25; i++) {
                    Sample s = m.read();
                    assertEquals(0, s.quality(), m.id() + ": " + m.lastError());
                }
            })).toList();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(50, devices.requests(), "each SDM630 read is one request, none repeated");
        }
    }

    @Test
    void aSlaveThatStopsAnsweringMidRunTimesOutAndTheOtherKeepsReading() {
        FailurePolicy policy = new FailurePolicy(2, Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ZERO);
        try (ModbusMeter a = (ModbusMeter) meter("grid", 1, FailurePolicy.DEFAULT);
             ModbusMeter b = (ModbusMeter) meter("heatpump", 2, policy)) {
            assertEquals(0, b.read().quality());
            devices.behave(2, RtuTestSlave.Behaviour.SILENT);
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                Sample sb = b.read();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(Quality.TIMEOUT, sb.quality());
                assertTrue(sb.values().isEmpty());
                assertTrue(ms < 1500, "a read is bounded by timeout x (1 + retries): took " + ms + " ms");
                Sample sa = a.read();
                assertEquals(0, sa.quality(), a.lastError());
            }
            int before = devices.requests();
            b.read();
            assertEquals(before, devices.requests(), "backing off: the dead meter no longer uses the bus");
            assertTrue(b.lastError().contains("no answer"), b.lastError());
        }
    }

    @Test
    void crcErrorsWrongUnitAndExceptionsAreCommErrorsAndTheBusRecovers() {
        FailurePolicy patient = new FailurePolicy(10, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);
        try (ModbusMeter a = (ModbusMeter) meter("grid", 1, patient);
             ModbusMeter b = (ModbusMeter) meter("heatpump", 2, FailurePolicy.DEFAULT)) {
            devices.behave(1, RtuTestSlave.Behaviour.BAD_CRC);
            assertEquals(Quality.COMM_ERROR, a.read().quality());
            assertTrue(a.lastError().contains("CRC error"), a.lastError());
            assertEquals(0, b.read().quality(), "the other meter is unaffected");

            devices.behave(1, RtuTestSlave.Behaviour.WRONG_UNIT);
            assertEquals(Quality.COMM_ERROR, a.read().quality());
            assertTrue(a.lastError().contains("answer came from unit 2"), a.lastError());

            devices.behave(1, RtuTestSlave.Behaviour.EXCEPTION_2);
            int before = devices.requests();
            assertEquals(Quality.COMM_ERROR, a.read().quality());
            assertEquals(before + 1, devices.requests(), "an exception response is not retried");
            assertTrue(a.lastError().contains("exception code 2"), a.lastError());

            devices.behave(1, RtuTestSlave.Behaviour.ANSWER);
            Sample back = a.read();
            assertEquals(0, back.quality(), a.lastError());
            assertEquals("1111500 Wh", back.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
        }
    }

    @Test
    void scanFindsTheAnsweringUnits() throws Exception {
        try (RtuBus rtu = new RtuBus(bus)) {
            List<BusScanner.Result> results = BusScanner.scan(rtu, 1, 5, RegisterType.INPUT, 0, 100);
            assertEquals(List.of(1, 2), results.stream().filter(BusScanner.Result::answers).map(BusScanner.Result::unitId).toList());
            assertEquals("timeout", results.get(3).verdict());
        }
    }

    @Test
    void anUnpluggedAdapterIsACommErrorUntilItComesBack() throws Exception {
        Path adapter = dir.resolve("ttyUSB9");
        SerialBusConfig gone = new SerialBusConfig(adapter.toString(), 115200, 8, SerialBusConfig.Parity.NONE, 1,
                Duration.ofMillis(100), 0, Duration.ZERO);
        FailurePolicy patient = new FailurePolicy(10, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO);
        try (Meter m = factory.create(new ModbusRtuMeterConfig("lost", gone, 1, Profiles.SDM630, patient))) {
            Sample s = m.read();
            assertEquals(Quality.COMM_ERROR, s.quality());
            assertTrue(m.lastError().contains("cannot open serial port " + adapter), m.lastError());
            // plugged in: the device node appears
            java.nio.file.Files.createSymbolicLink(adapter, Path.of(line.masterEnd()));
            Sample back = m.read();
            assertEquals(0, back.quality(), m.lastError());
            assertEquals("1111500 Wh", back.values().get(Obis.ACTIVE_ENERGY_IMPORT).plain());
        }
    }

    @Test
    void metersOnOneBusMustAgreeOnItsSettings() {
        try (Meter a = meter("grid", 1, FailurePolicy.DEFAULT)) {
            SerialBusConfig other = new SerialBusConfig(bus.device(), 9600, 8, SerialBusConfig.Parity.NONE, 1,
                    Duration.ofMillis(150), 1, Duration.ZERO);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> factory.create(new ModbusRtuMeterConfig("x", other, 3, Profiles.SDM630, FailurePolicy.DEFAULT)));
            assertTrue(e.getMessage().contains("same bus settings"), e.getMessage());
        }
    }
}
