package io.eiedge.drivers.modbus;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.testing.J2modTcpSlave;
import io.eiedge.drivers.testing.RegisterImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every profile of the library is read from a register image of its model, written here by hand
 * from the maker's encoding (word order, data type, scale), served by j2mod's TCP slave on
 * loopback: each mapped value must come out exactly as the meter's display would show it.
 */
class ProfileLibraryTest {
    private final MeterFactory factory = new MeterFactory(() -> Instant.ofEpochMilli(1_700_000_000_000L),
            Path.of("unused"), () -> {
        throw new AssertionError("no gpio");
    });

    @AfterEach
    void close() {
        factory.close();
    }

    /** The expected plain values of one image, OBIS → "value unit". */
    private static Map<String, String> expect(String... pairs) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    private static RegisterImage eastron(float... addressValue) {
        RegisterImage r = new RegisterImage();
        for (int a = 0; a < 0x160; a++) r.input.put(a, 0);
        for (int i = 0; i < addressValue.length; i += 2) r.inputFloat((int) addressValue[i], addressValue[i + 1], WordOrder.ABCD);
        return r;
    }

    /** ABB: big-endian words; energies uint64 in 0.01 kWh, voltages uint32 0.1 V, currents 0.01 A, power int32 0.01 W. */
    private static RegisterImage abb(boolean threePhase) {
        RegisterImage r = new RegisterImage();
        r.holding(0x5000, 0, 0, 0x0001, 0xE240);       // 123456 x 0.01 kWh = 1234.56 kWh
        r.holding(0x5004, 0, 0, 0, 0x3039);            // 12345 x 0.01 kWh
        r.holding(0x5B00, 0, 2301);                    // 230.1 V
        r.holding(0x5B0C, 0, 525);                     // 5.25 A
        r.holding(0x5B14, 0xFFFF, 0xFF9C);             // -100 x 0.01 W = -1 W (export)
        r.holding(0x5B2C, 5002);                       // 50.02 Hz
        if (threePhase) {
            r.holding(0x5B02, 0, 2314).holding(0x5B04, 0, 2298);
            r.holding(0x5B0E, 0, 50).holding(0x5B10, 0, 1275);
            r.holding(0x5B16, 0x0001, 0xCD22).holding(0x5B18, 0xFFFF, 0xDACB).holding(0x5B1A, 0x0004, 0x6CD0);
        }
        return r;
    }

    /** Carlo Gavazzi: INT32 least significant word first; V x10, A x1000, W x10, Hz x10 (INT16), kWh x10. */
    private static RegisterImage gavazzi() {
        RegisterImage r = new RegisterImage();
        for (int a = 0; a < 0x60; a++) r.holding.put(a, 0);
        r.holding(0x0000, 2301, 0).holding(0x0002, 2314, 0).holding(0x0004, 2298, 0);
        r.holding(0x000C, 5250, 0).holding(0x000E, 500, 0).holding(0x0010, 12750, 0);
        r.holding(0x0012, 11805, 0).holding(0x0014, 0xFC47, 0xFFFF).holding(0x0016, 29000, 0); // L2 -95.3 W
        r.holding(0x0028, 0xDC32, 0x0000);             // 56370 x 0.1 W = 5637 W
        r.holding(0x0033, 500);                        // 50.0 Hz
        r.holding(0x0034, 0xE240, 0x0001);             // 123456 x 0.1 kWh = 12345.6 kWh
        r.holding(0x004E, 789, 0);                     // 78.9 kWh
        return r;
    }

    static Stream<Arguments> images() {
        Map<String, String> single = expect("1-0:32.7.0", "230.1 V", "1-0:31.7.0", "5.25 A", "1-0:16.7.0", "1180.5 W",
                "1-0:9.7.0", "1210 VA", "1-0:14.7.0", "50.02 Hz", "1-0:1.8.0", "12345600 Wh", "1-0:2.8.0", "78900 Wh");
        RegisterImage sdm1 = eastron(0x00, 230.1f, 0x06, 5.25f, 0x0C, 1180.5f, 0x12, 1210f, 0x46, 50.02f,
                0x48, 12345.6f, 0x4A, 78.9f);
        return Stream.of(
                Arguments.of("sdm72", eastron(0x34, -3985.25f, 0x46, 50f, 0x48, 4567.25f, 0x4A, 0.5f),
                        expect("1-0:16.7.0", "-3985.25 W", "1-0:1.8.0", "4567250 Wh", "1-0:2.8.0", "500 Wh")),
                Arguments.of("sdm120", sdm1, single),
                Arguments.of("sdm230", sdm1, single),
                Arguments.of("sdm630", RegisterImage.sdm630(WordOrder.ABCD, 12345.6f, 78.9f),
                        expect("1-0:32.7.0", "230.1 V", "1-0:52.7.0", "231.4 V", "1-0:72.7.0", "229.8 V",
                                "1-0:31.7.0", "5.25 A", "1-0:51.7.0", "0.5 A", "1-0:71.7.0", "12.75 A",
                                "1-0:36.7.0", "1180.5 W", "1-0:56.7.0", "-95.25 W", "1-0:76.7.0", "2900 W",
                                "1-0:16.7.0", "3985.25 W", "1-0:9.7.0", "4100 VA", "1-0:14.7.0", "50.02 Hz",
                                "1-0:1.8.0", "12345600 Wh", "1-0:2.8.0", "78900 Wh")),
                Arguments.of("abb-b21", abb(false),
                        expect("1-0:1.8.0", "1234560 Wh", "1-0:2.8.0", "123450 Wh", "1-0:32.7.0", "230.1 V",
                                "1-0:31.7.0", "5.25 A", "1-0:16.7.0", "-1 W", "1-0:14.7.0", "50.02 Hz")),
                Arguments.of("abb-b23", abb(true), abbThree()),
                Arguments.of("abb-b24", abb(true), abbThree()),
                Arguments.of("cg-em24", gavazzi(), gavazziValues()),
                Arguments.of("cg-em340", gavazzi(), gavazziValues()));
    }

    private static Map<String, String> abbThree() {
        return expect("1-0:1.8.0", "1234560 Wh", "1-0:2.8.0", "123450 Wh",
                "1-0:32.7.0", "230.1 V", "1-0:52.7.0", "231.4 V", "1-0:72.7.0", "229.8 V",
                "1-0:31.7.0", "5.25 A", "1-0:51.7.0", "0.5 A", "1-0:71.7.0", "12.75 A",
                "1-0:16.7.0", "-1 W", "1-0:36.7.0", "1180.5 W", "1-0:56.7.0", "-95.25 W", "1-0:76.7.0", "2900 W",
                "1-0:14.7.0", "50.02 Hz");
    }

    private static Map<String, String> gavazziValues() {
        return expect("1-0:32.7.0", "230.1 V", "1-0:52.7.0", "231.4 V", "1-0:72.7.0", "229.8 V",
                "1-0:31.7.0", "5.25 A", "1-0:51.7.0", "0.5 A", "1-0:71.7.0", "12.75 A",
                "1-0:36.7.0", "1180.5 W", "1-0:56.7.0", "-95.3 W", "1-0:76.7.0", "2900 W",
                "1-0:16.7.0", "5637 W", "1-0:14.7.0", "50 Hz", "1-0:1.8.0", "12345600 Wh", "1-0:2.8.0", "78900 Wh");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void everyProfileReadsItsModelsRegisterImageExactly(String name, RegisterImage image, Map<String, String> expected)
            throws Exception {
        DeviceProfile profile = Profiles.LIBRARY.get(name);
        try (var slave = new J2modTcpSlave(Map.of(1, image));
             Meter meter = factory.create(new ModbusTcpMeterConfig(name, "127.0.0.1", slave.port(), 1, profile.map(),
                     Duration.ofMillis(500), 1, FailurePolicy.DEFAULT))) {
            Sample s = meter.read();
            assertEquals(0, s.quality(), meter.lastError());
            Map<String, String> plain = new TreeMap<>();
            s.values().forEach((obis, m) -> plain.put(obis, m.plain()));
            assertEquals(expected, plain);
        }
    }

    @Test
    void everyModelInTheLibraryHasAnImageTest() {
        assertEquals(Profiles.LIBRARY.names(), new java.util.TreeSet<>(images().map(a -> (String) a.get()[0]).toList()));
    }

    @Test
    void everyProfileCitesTheMakersDocumentAndCanBeRecognised() {
        for (DeviceProfile p : Profiles.LIBRARY.all()) {
            assertFalse(p.source().document().isBlank(), p.name());
            assertFalse(p.source().version().isBlank(), p.name());
            assertFalse(p.maker().equals("-"), p.name());
            assertFalse(p.identity().isEmpty(), p.name() + " has no identity registers");
        }
    }

    @Test
    void unknownProfileNamesListTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Profiles.byName("sdm999", Map.of()));
        assertTrue(e.getMessage().contains("abb-b23") && e.getMessage().contains("sunspec"), e.getMessage());
    }

    @Test
    void aBrokenProfileFileNamesTheFileAndTheRegister() {
        var e = assertThrows(IllegalArgumentException.class, () -> ProfileLibrary.parse("""
                name: x
                registers:
                  - {obis: 1-0:1.8.0, register-type: input, address: 0, data-type: float32, unit: kWh}
                """, "x.yaml"));
        assertTrue(e.getMessage().startsWith("x.yaml: registers[0]: ") && e.getMessage().contains("kWh"), e.getMessage());
    }
}
