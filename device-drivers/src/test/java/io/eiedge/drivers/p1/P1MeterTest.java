package io.eiedge.drivers.p1;

import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.testing.SocatPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DSMR P1 over a socat pty pair: the test writes telegrams into one end as a meter's P1 port
 * would, {@link P1Meter} reads the other end.
 */
class P1MeterTest {

    /** The example telegram of the DSMR 5.0.2 P1 Companion Standard (§6.12), CR LF line ends. */
    static String specExample() throws IOException {
        try (InputStream in = P1MeterTest.class.getResourceAsStream("/p1/dsmr502-example.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n");
        }
    }

    @Test
    void crcIsCrc16ArcWithItsPublishedCheckValue() {
        assertEquals(0xBB3D, P1Telegram.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    }

    @Test
    void theSpecificationsExampleAsPrintedFailsItsOwnCrc() throws Exception {
        // the standard prints CRC EF2F under a text whose CRC is E47C (a known erratum of the document)
        byte[] t = specExample().getBytes(StandardCharsets.US_ASCII);
        var r = P1Telegram.parse(t, t.length);
        assertTrue(r instanceof P1Telegram.Result.Bad b && b.reason().contains("EF2F") && b.reason().contains("E47C"), r.toString());
    }

    private static Map<String, String> plain(Sample s) {
        Map<String, String> m = new TreeMap<>();
        s.values().forEach((k, v) -> m.put(k, v.plain()));
        return m;
    }

    @Test
    void readsTheSpecificationsExampleExactlyOverAPty(@TempDir Path dir) throws Exception {
        String good = specExample().replace("!EF2F", "!E47C");
        String badCrc = specExample();
        try (SocatPair pty = new SocatPair(dir);
             P1Meter meter = new P1Meter(new P1MeterConfig("grid", pty.masterEnd(), 115200, Duration.ofSeconds(2)),
                     () -> Instant.ofEpochMilli(1_700_000_000_000L));
             OutputStream port = Files.newOutputStream(Path.of(pty.slaveEnd()))) {
            Sample first = meter.read(); // nothing sent yet
            assertEquals(Quality.TIMEOUT, first.quality(), meter.lastError());

            port.write(good.getBytes(StandardCharsets.US_ASCII));
            port.flush();
            Sample s = meter.read();
            assertEquals(0, s.quality(), meter.lastError());
            Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                    Map.entry("1-0:1.8.1", "123456789 Wh"), Map.entry("1-0:1.8.2", "123456789 Wh"),
                    Map.entry("1-0:2.8.1", "123456789 Wh"), Map.entry("1-0:2.8.2", "123456789 Wh"),
                    Map.entry("1-0:1.8.0", "246913578 Wh"), Map.entry("1-0:2.8.0", "246913578 Wh"),
                    Map.entry("1-0:1.7.0", "1193 W"), Map.entry("1-0:2.7.0", "0 W"), Map.entry("1-0:16.7.0", "1193 W"),
                    Map.entry("1-0:32.7.0", "220.1 V"), Map.entry("1-0:52.7.0", "220.2 V"), Map.entry("1-0:72.7.0", "220.3 V"),
                    Map.entry("1-0:31.7.0", "1 A"), Map.entry("1-0:51.7.0", "2 A"), Map.entry("1-0:71.7.0", "3 A"),
                    Map.entry("1-0:21.7.0", "1111 W"), Map.entry("1-0:41.7.0", "2222 W"), Map.entry("1-0:61.7.0", "3333 W"),
                    Map.entry("1-0:22.7.0", "4444 W"), Map.entry("1-0:42.7.0", "5555 W"), Map.entry("1-0:62.7.0", "6666 W"),
                    Map.entry("7-0:3.0.0", "12785.123 m3")));
            assertEquals(expected, plain(s));

            port.write(badCrc.getBytes(StandardCharsets.US_ASCII));
            port.flush();
            Sample bad = meter.read();
            assertEquals(Quality.COMM_ERROR, bad.quality());
            assertTrue(bad.values().isEmpty());
            assertTrue(meter.lastError().contains("CRC EF2F"), meter.lastError());

            port.write(good.substring(0, good.length() / 2).getBytes(StandardCharsets.US_ASCII));
            port.flush();
            Sample cut = meter.read();
            assertEquals(Quality.COMM_ERROR, cut.quality());
            assertTrue(meter.lastError().contains("truncated"), meter.lastError());

            port.write(good.getBytes(StandardCharsets.US_ASCII));
            port.flush();
            assertEquals(0, meter.read().quality(), meter.lastError());
        }
    }
}
