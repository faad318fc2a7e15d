package io.eiedge.ledger.model;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * A DLMS-style value: exactly {@code mantissa × 10^scaler} in a SenML unit. Exact by
 * construction, so sums and comparisons never round.
 */
public record ScaledValue(long mantissa, int scaler, String unit) {

    /** SenML units (RFC 8428/8798) the contract allows. */
    public static final Set<String> UNITS = Set.of("Wh", "W", "var", "VA", "V", "A", "Hz", "J", "Cel", "m3", "%EL",
            "varh", "VAh", "l", "m3/s", "W/m2");

    /** Units of cumulative registers that count into a header's energy summary. */
    public static final Set<String> ENERGY_UNITS = Set.of("Wh", "J", "m3", "varh", "VAh");

    public ScaledValue {
        Objects.requireNonNull(unit, "unit");
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("unit '" + unit + "' is not one of " + UNITS);
        }
        if (scaler < -128 || scaler > 127) {
            throw new IllegalArgumentException("scaler " + scaler + " outside -128..127");
        }
    }

    public BigDecimal decimal() {
        return BigDecimal.valueOf(mantissa, -scaler);
    }

    public boolean isEnergy() {
        return ENERGY_UNITS.contains(unit);
    }

    @Override
    public String toString() {
        return decimal().toPlainString() + " " + unit;
    }
}
