package io.eiedge.drivers.p1;

import io.eiedge.drivers.meter.Measurement;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One DSMR P1 telegram (DSMR 5.0.2 P1 Companion Standard, §6): {@code /XXX5Ident CR LF CR LF},
 * data lines {@code OBIS(value*unit)…}, and {@code !CRC CR LF}, where CRC is CRC16 (polynomial
 * x^16+x^15+x^2+1, reflected 0xA001, initial value 0) over every byte from '/' to '!' inclusive,
 * as four hex digits. DSMR 2.2/3 telegrams carry no CRC and are refused: a telegram we cannot
 * check is not signed.
 *
 * <p>Mapped: electricity registers 1-0:C.D.E in kWh, kW, V, A (kWh → Wh, kW → W, exact
 * decimals); the gas sub-meter's last reading 0-n:24.2.1 (DSMR 4/5; 24.2.3 of Belgian meters)
 * → 7-0:3.0.0, a water sub-meter's → 8-0:1.0.0, the sub-meter's medium taken from its device type
 * 0-n:24.1.0 (M-Bus medium codes: 3 gas, 7 water). Derived, exactly: 1-0:1.8.0 = 1.8.1 + 1.8.2,
 * 1-0:2.8.0 = 2.8.1 + 2.8.2 (DSMR has no totals), 1-0:16.7.0 = 1.7.0 − 2.7.0 (signed as DESIGN
 * says). Timestamps, texts, failure logs and identifiers are not readings and are skipped.
 */
public final class P1Telegram {
    /** Longest telegram accepted (DSMR 5 telegrams are 1–2 KiB; a text message adds at most 2 KiB). */
    public static final int MAX_BYTES = 16 * 1024;

    private static final Pattern LINE = Pattern.compile("(\\d{1,3})-(\\d{1,3}):(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})((?:\\([^()]*\\))+)");
    private static final Pattern GROUP = Pattern.compile("\\(([^()]*)\\)");
    private static final Pattern VALUE = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\*(kWh|kW|V|A|m3)");

    private P1Telegram() {
    }

    /** What one telegram gave: values, or why it was refused. */
    public sealed interface Result {
        /** A telegram whose CRC matched. */
        record Good(String ident, SortedMap<String, Measurement> values) implements Result {
        }

        /** A telegram refused as a whole: bad CRC, no CRC, cut off, too long. */
        record Bad(String reason) implements Result {
        }
    }

    /** CRC16/ARC as DSMR 5 uses it. */
    public static int crc16(byte[] data, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= data[i] & 0xFF;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }

    /**
     * Checks and decodes one telegram, {@code bytes[0]} being '/' and the last bytes
     * {@code !XXXX} (the final CR LF optional).
     */
    public static Result parse(byte[] bytes, int length) {
        if (length > MAX_BYTES) return new Result.Bad("telegram longer than " + MAX_BYTES + " bytes");
        if (length == 0 || bytes[0] != '/') return new Result.Bad("telegram does not start with '/'");
        int bang = -1;
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '!') {
                bang = i;
                break;
            }
        }
        if (bang < 0) return new Result.Bad("telegram truncated: no '!' end line");
        String crcText = new String(bytes, bang + 1, length - bang - 1, StandardCharsets.US_ASCII).strip();
        if (crcText.isEmpty()) return new Result.Bad("telegram has no CRC (DSMR before 4.0 is not supported)");
        if (!crcText.matches("[0-9A-Fa-f]{4}")) return new Result.Bad("telegram CRC '" + crcText + "' is not 4 hex digits");
        int expected = Integer.parseInt(crcText, 16);
        int actual = crc16(bytes, 0, bang + 1);
        if (expected != actual) {
            return new Result.Bad(String.format("telegram CRC %04X does not match the bytes (computed %04X)", expected, actual));
        }
        String text = new String(bytes, 0, bang, StandardCharsets.US_ASCII);
        String[] lines = text.split("\r?\n");
        String ident = lines[0].substring(1).strip();
        SortedMap<String, Measurement> values = new TreeMap<>();
        Map<Integer, Integer> deviceTypes = new TreeMap<>();
        Map<Integer, Measurement> subMeters = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher m = LINE.matcher(lines[i].strip());
            if (!m.matches()) continue;
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            String cde = m.group(3) + "." + m.group(4) + "." + m.group(5);
            Matcher g = GROUP.matcher(m.group(6));
            String last = null;
            String first = null;
            while (g.find()) {
                if (first == null) first = g.group(1);
                last = g.group(1);
            }
            if (a == 0 && b >= 1 && cde.equals("24.1.0") && first != null && first.matches("\\d{1,3}")) {
                deviceTypes.put(b, Integer.parseInt(first));
            } else if (a == 0 && b >= 1 && (cde.equals("24.2.1") || cde.equals("24.2.3"))) {
                Measurement v = value(last);
                if (v != null && v.unit().equals("m3")) subMeters.putIfAbsent(b, v);
            } else if (a == 1 && b == 0 && first != null && first.equals(last)) {
                Measurement v = value(first);
                if (v != null && !v.unit().equals("m3")) values.put("1-0:" + cde, v);
            }
        }
        subMeters.forEach((channel, v) -> {
            int type = deviceTypes.getOrDefault(channel, 3);
            String obis = type == 7 ? "8-0:1.0.0" : type == 3 ? "7-0:3.0.0" : null;
            if (obis != null) values.putIfAbsent(obis, v); // the lowest channel of each medium
        });
        sum(values, "1-0:1.8.0", "1-0:1.8.1", "1-0:1.8.2");
        sum(values, "1-0:2.8.0", "1-0:2.8.1", "1-0:2.8.2");
        Measurement in = values.get("1-0:1.7.0");
        Measurement out = values.get("1-0:2.7.0");
        if (in != null && out != null && !values.containsKey("1-0:16.7.0")) {
            values.put("1-0:16.7.0", Measurement.of(in.value().subtract(out.value()), "W"));
        }
        return new Result.Good(ident, values);
    }

    private static void sum(SortedMap<String, Measurement> values, String total, String t1, String t2) {
        Measurement a = values.get(t1);
        Measurement b = values.get(t2);
        if (a != null && b != null && !values.containsKey(total)) {
            values.put(total, Measurement.of(a.value().add(b.value()), "Wh"));
        }
    }

    /** "001234.567*kWh" → 1234567 Wh; "220.1*V"; "01.193*kW" → 1193 W; null for anything else. */
    private static Measurement value(String group) {
        if (group == null) return null;
        Matcher v = VALUE.matcher(group);
        if (!v.matches()) return null;
        BigDecimal d = new BigDecimal(v.group(1));
        return switch (v.group(2)) {
            case "kWh" -> Measurement.of(d.scaleByPowerOfTen(3), "Wh");
            case "kW" -> Measurement.of(d.scaleByPowerOfTen(3), "W");
            default -> Measurement.of(d, v.group(2));
        };
    }
}
