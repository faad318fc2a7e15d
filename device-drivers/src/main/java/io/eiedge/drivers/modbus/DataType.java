package io.eiedge.drivers.modbus;

import java.util.Locale;

/** How a register's words encode a number. */
public enum DataType {
    INT16(1), UINT16(1), INT32(2), UINT32(2), FLOAT32(2), INT64(4);

    private final int words;

    DataType(int words) {
        this.words = words;
    }

    /** Number of 16-bit registers the value occupies. */
    public int words() {
        return words;
    }

    /** Parses "int16", "uint32", "float32"… (case-insensitive). */
    public static DataType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data type '" + text + "' is not one of int16, uint16, int32, uint32, float32, int64");
        }
    }
}
