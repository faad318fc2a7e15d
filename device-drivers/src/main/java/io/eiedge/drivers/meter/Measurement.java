package io.eiedge.drivers.meter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Set;

/**
 * One measured quantity, DLMS style: the exact value is {@code mantissa × 10^scaler} in a SenML
 * unit. Decimal, not binary floating point, so an energy register signs and sums exactly.
 */
public record Measurement(long mantissa, int scaler, String unit) {

    /** The SenML unit names (RFC 8428/8798) a reading may carry. */
    public static final Set<String> UNITS = Set.of("Wh", "W", "var", "VA", "V", "A", "Hz", "J", "Cel", "m3", "%EL");

    public Measurement {
        Objects.requireNonNull(unit, "unit");
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("unit '" + unit + "' is not one of the SenML units " + UNITS);
        }
        if (scaler < -128 || scaler > 127) {
            throw new IllegalArgumentException("scaler " + scaler + " is outside the DLMS range -128..127");
        }
    }

    /**
     * The measurement of an exact decimal value, in the shortest mantissa: trailing zeros
     * move into the scaler (1200 Wh becomes 12 × 10^2).
     *
     * @throws ArithmeticException when the value does not fit a 64-bit mantissa
     */
    public static Measurement of(BigDecimal value, String unit) {
        BigDecimal v = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        BigInteger m = v.unscaledValue();
        return new Measurement(m.longValueExact(), -v.scale(), unit);
    }

    /** Convenience for exact integers times a power of ten, normalised like {@link #of(BigDecimal, String)}. */
    public static Measurement of(long mantissa, int scaler, String unit) {
        return of(BigDecimal.valueOf(mantissa).scaleByPowerOfTen(scaler), unit);
    }

    /** The exact value. */
    public BigDecimal value() {
        return BigDecimal.valueOf(mantissa).scaleByPowerOfTen(scaler);
    }

    /** The value as a person reads it, e.g. "230.1 V" or "12345.6 Wh". */
    public String plain() {
        BigDecimal v = value();
        String text = v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
        return text + " " + unit;
    }
}
