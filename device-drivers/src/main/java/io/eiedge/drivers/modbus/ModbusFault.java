package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Quality;

/** Why a Modbus transaction failed, in terms the quality bits and a technician understand. */
public final class ModbusFault extends Exception {

    /** The kinds of failure. */
    public enum Kind {
        /** No answer within the timeout. */
        TIMEOUT,
        /** A broken, corrupt, misaddressed or short frame, or a broken connection. */
        COMM,
        /** The device answered with a Modbus exception response. */
        EXCEPTION,
        /** The serial port or the gateway cannot be opened or reached. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final int exceptionCode;

    public ModbusFault(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public ModbusFault(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, cause);
    }

    private ModbusFault(Kind kind, int exceptionCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.exceptionCode = exceptionCode;
    }

    /** An exception response with the device's exception code (1 illegal function, 2 illegal address…). */
    public static ModbusFault exception(int code, String where) {
        return new ModbusFault(Kind.EXCEPTION, code, where + ": exception code " + code + " (" + exceptionName(code) + ")", null);
    }

    public Kind kind() {
        return kind;
    }

    /** The Modbus exception code for {@link Kind#EXCEPTION}, else 0. */
    public int exceptionCode() {
        return exceptionCode;
    }

    /** The quality bit this fault sets: {@link Quality#TIMEOUT} for a timeout, else {@link Quality#COMM_ERROR}. */
    public int qualityBits() {
        return kind == Kind.TIMEOUT ? Quality.TIMEOUT : Quality.COMM_ERROR;
    }

    /** True when trying the same request again may help (not for an exception response). */
    public boolean retryable() {
        return kind != Kind.EXCEPTION;
    }

    /** The standard name of a Modbus exception code. */
    public static String exceptionName(int code) {
        return switch (code) {
            case 1 -> "illegal function";
            case 2 -> "illegal data address";
            case 3 -> "illegal data value";
            case 4 -> "server device failure";
            case 5 -> "acknowledge";
            case 6 -> "server device busy";
            case 8 -> "memory parity error";
            case 10 -> "gateway path unavailable";
            case 11 -> "gateway target device failed to respond";
            default -> "unknown";
        };
    }
}
