package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegisterMapTest {

    @Test
    void sdm630IsOneRequestAndTechnicianMapsOnlyMergeContiguousRegisters() {
        assertEquals(1, Profiles.SDM630.blocks().size());
        assertEquals(76, Profiles.SDM630.blocks().getFirst().count());
        RegisterMap custom = new RegisterMap("custom", List.of(
                RegisterSpec.of(Obis.VOLTAGE_L1, RegisterType.HOLDING, 100, DataType.UINT16, -1, "V"),
                RegisterSpec.of(Obis.CURRENT_L1, RegisterType.HOLDING, 101, DataType.UINT16, -2, "A"),
                RegisterSpec.of(Obis.ACTIVE_POWER, RegisterType.HOLDING, 110, DataType.INT32, 0, "W"),
                RegisterSpec.of(Obis.ACTIVE_ENERGY_IMPORT, RegisterType.INPUT, 102, DataType.UINT32, 0, "Wh")));
        var blocks = custom.blocks();
        assertEquals(3, blocks.size());
        assertEquals(new RegisterMap.Block(RegisterType.HOLDING, 100, 2, blocks.get(0).registers()), blocks.get(0));
        assertEquals(RegisterType.INPUT, blocks.get(2).type());
    }

    @Test
    void badMapsAreRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> RegisterSpec.of("1-0:1.8", RegisterType.INPUT, 0, DataType.INT16, 0, "W"));
        assertTrue(e.getMessage().contains("OBIS code '1-0:1.8'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegisterSpec.of(Obis.ACTIVE_POWER, RegisterType.INPUT, 65535, DataType.FLOAT32, 0, "W"));
        assertTrue(e.getMessage().contains("address 65535"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RegisterSpec.of(Obis.ACTIVE_POWER, RegisterType.INPUT, 0, DataType.FLOAT32, 0, "kW"));
        assertTrue(e.getMessage().contains("unit 'kW'"), e.getMessage());
        var spec = RegisterSpec.of(Obis.ACTIVE_POWER, RegisterType.INPUT, 0, DataType.FLOAT32, 0, "W");
        e = assertThrows(IllegalArgumentException.class, () -> new RegisterMap("twice", List.of(spec, spec)));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataType.parse("float"));
        assertTrue(e.getMessage().contains("int16, uint16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Profiles.byName("sdm999", Map.of()));
        assertTrue(e.getMessage().contains("sdm120") && e.getMessage().contains("sdm630"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SerialBusConfig("/dev/ttyUSB0", 9601, 8,
                SerialBusConfig.Parity.NONE, 1, Duration.ofMillis(500), 1, Duration.ZERO));
        assertTrue(e.getMessage().contains("baud 9601"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModbusRtuMeterConfig("grid",
                SerialBusConfig.of("/dev/ttyUSB0", 9600), 0, Profiles.SDM120, io.eiedge.drivers.meter.FailurePolicy.DEFAULT));
        assertTrue(e.getMessage().contains("meter grid: unit-id 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModbusTcpMeterConfig.of("a/b", "localhost", 502, 1, Profiles.SDM120));
        assertTrue(e.getMessage().contains("meter id 'a/b'"), e.getMessage());
    }

    @Test
    void measurementsAreExactAndSamplesValidateTheirCodes() {
        assertEquals(new Measurement(12, 2, "Wh"), Measurement.of(1200, 0, "Wh"));
        assertEquals("0.001 Wh", Measurement.of(1, -3, "Wh").plain());
        assertEquals("1200 Wh", new Measurement(12, 2, "Wh").plain());
        TreeMap<String, Measurement> bad = new TreeMap<>(Map.of("1.8.0", new Measurement(1, 0, "Wh")));
        assertThrows(IllegalArgumentException.class, () -> new Sample("grid", 0, bad, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sample("grid", 0, new TreeMap<>(), 64));
    }

    @Test
    void wordOrdersRoundTrip() {
        for (WordOrder o : WordOrder.values()) {
            int[] w = o.split(0x1122334455667788L, 4);
            assertEquals(0x1122334455667788L, o.assemble(w, 0, 4), o.name());
        }
        assertEquals(List.of(0x3344, 0x1122), List.of(WordOrder.CDAB.split(0x11223344L, 2)[0], WordOrder.CDAB.split(0x11223344L, 2)[1]));
        assertEquals(List.of(0x2211, 0x4433), List.of(WordOrder.BADC.split(0x11223344L, 2)[0], WordOrder.BADC.split(0x11223344L, 2)[1]));
        assertEquals(List.of(0x4433, 0x2211), List.of(WordOrder.DCBA.split(0x11223344L, 2)[0], WordOrder.DCBA.split(0x11223344L, 2)[1]));
    }
}
