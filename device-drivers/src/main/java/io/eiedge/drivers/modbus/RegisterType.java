package io.eiedge.drivers.modbus;

/** Which Modbus table a register lives in, and so which read function fetches it. */
public enum RegisterType {
    /** Holding registers, read with function 3. */
    HOLDING(3),
    /** Input registers, read with function 4. */
    INPUT(4);

    private final int function;

    RegisterType(int function) {
        this.function = function;
    }

    /** The Modbus function code that reads this table. */
    public int function() {
        return function;
    }

    /** Parses "holding", "input", "3" or "4" (case-insensitive). */
    public static RegisterType parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "holding", "3", "fc3" -> HOLDING;
            case "input", "4", "fc4" -> INPUT;
            default -> throw new IllegalArgumentException("register type '" + text + "' is not one of holding (function 3) or input (function 4)");
        };
    }
}
