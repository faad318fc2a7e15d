package io.eiedge.ledger.model;

/** How far the reading's timestamp can be trusted (reading key 5). */
public enum ClockStatus {
    UNSYNCHRONISED, SYNCHRONISED, RELATIVE;

    public int code() {
        return ordinal();
    }

    public static ClockStatus ofCode(long code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("clock status " + code + " is not 0, 1 or 2");
        }
        return values()[(int) code];
    }
}
