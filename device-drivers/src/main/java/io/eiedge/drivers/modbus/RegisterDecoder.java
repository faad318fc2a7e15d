package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Measurement;

import java.math.BigDecimal;

/** Turns raw register words into exact {@link Measurement}s, refusing values that are not numbers. */
public final class RegisterDecoder {

    /** No meter eiedge reads shows 10^15 of a base unit (that is 1000 TWh); such bits are garbage. */
    static final BigDecimal IMPLAUSIBLE = BigDecimal.TEN.pow(15);

    /** Non-zero floats smaller than this are garbage (typically a wrong word order). */
    static final float TINY = 1e-9f;

    private RegisterDecoder() {
    }

    /** A decoded value, or the reason there is none. */
    public record Result(Measurement measurement, String problem) {
        public boolean ok() {
            return measurement != null;
        }
    }

    /**
     * Decodes {@code spec} from {@code words}, where {@code words[offset]} is the spec's first register.
     * Floats become the shortest decimal that reads back as the same float (what the meter's
     * display shows), so 230.1f is exactly 230.1 V, not 230.100006103515625.
     */
    public static Result decode(RegisterSpec spec, int[] words, int offset) {
        long raw = spec.wordOrder().assemble(words, offset, spec.dataType().words());
        BigDecimal value = switch (spec.dataType()) {
            case INT16 -> BigDecimal.valueOf((short) raw);
            case UINT16 -> BigDecimal.valueOf(raw & 0xFFFF);
            case INT32 -> BigDecimal.valueOf((int) raw);
            case UINT32 -> BigDecimal.valueOf(raw & 0xFFFF_FFFFL);
            case INT64 -> BigDecimal.valueOf(raw);
            case FLOAT32 -> {
                float f = Float.intBitsToFloat((int) raw);
                // swapped words of an ordinary value look like 1e-26 or subnormals: no meter reports such dust
                if (Float.isNaN(f) || Float.isInfinite(f) || (f != 0 && Math.abs(f) < TINY)) {
                    yield null;
                }
                yield new BigDecimal(Float.toString(f));
            }
        };
        if (value == null) {
            return new Result(null, String.format("register %d (%s): float bits 0x%08X are not a plausible number (NaN, infinite, or tinier than 1e-9: wrong word order?)", spec.address(), spec.obis(), raw));
        }
        BigDecimal scaled = value.scaleByPowerOfTen(spec.scaler());
        if (scaled.abs().compareTo(IMPLAUSIBLE) >= 0) {
            return new Result(null, "register " + spec.address() + " (" + spec.obis() + "): " + scaled.toString()
                    + " " + spec.unit() + " is implausibly large");
        }
        try {
            return new Result(Measurement.of(scaled, spec.unit()), null);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return new Result(null, "register " + spec.address() + " (" + spec.obis() + "): value " + value + " does not fit a reading");
        }
    }
}
