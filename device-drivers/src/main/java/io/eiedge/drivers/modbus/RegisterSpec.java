package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;

import java.util.Objects;

/**
 * One quantity in a register map: where it is (table and 0-based address), how it is encoded,
 * and what it means: value = raw × 10^scaler in {@code unit}, reported under {@code obis}.
 * A float register in kWh is {@code scaler 3, unit Wh}.
 */
public record RegisterSpec(String obis, RegisterType type, int address, DataType dataType, WordOrder wordOrder,
                           int scaler, String unit) {

    public RegisterSpec {
        Obis.requireValid(obis);
        Objects.requireNonNull(type, () -> "register " + obis + ": type");
        Objects.requireNonNull(dataType, () -> "register " + obis + ": data type");
        Objects.requireNonNull(wordOrder, () -> "register " + obis + ": word order");
        if (address < 0 || address + dataType.words() > 65536) {
            throw new IllegalArgumentException("register " + obis + ": address " + address + " with " + dataType
                    + " is outside 0..65535");
        }
        if (scaler < -20 || scaler > 20) {
            throw new IllegalArgumentException("register " + obis + ": scaler " + scaler + " is outside -20..20");
        }
        if (unit == null || !Measurement.UNITS.contains(unit)) {
            throw new IllegalArgumentException("register " + obis + ": unit '" + unit + "' is not one of " + Measurement.UNITS);
        }
    }

    /** A big-endian (ABCD) register. */
    public static RegisterSpec of(String obis, RegisterType type, int address, DataType dataType, int scaler, String unit) {
        return new RegisterSpec(obis, type, address, dataType, WordOrder.ABCD, scaler, unit);
    }

    /** First register after this value. */
    public int end() {
        return address + dataType.words();
    }
}
