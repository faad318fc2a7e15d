package io.eiedge.drivers.modbus;

import java.util.Locale;

/**
 * Byte order of a multi-register value, named by where the bytes A (most significant) … D land:
 * ABCD big-endian (Modbus' own), CDAB word-swapped, BADC byte-swapped, DCBA little-endian. For
 * 64-bit values the same two swaps (words reversed, bytes in each word swapped) apply.
 */
public enum WordOrder {
    ABCD(false, false), CDAB(true, false), BADC(false, true), DCBA(true, true);

    private final boolean wordsReversed;
    private final boolean bytesSwapped;

    WordOrder(boolean wordsReversed, boolean bytesSwapped) {
        this.wordsReversed = wordsReversed;
        this.bytesSwapped = bytesSwapped;
    }

    /** Puts {@code n} registers from {@code words[offset…]} into big-endian order as one unsigned number. */
    public long assemble(int[] words, int offset, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int w = words[offset + (wordsReversed ? n - 1 - i : i)] & 0xFFFF;
            if (bytesSwapped) {
                w = ((w & 0xFF) << 8) | (w >>> 8);
            }
            v = (v << 16) | w;
        }
        return v;
    }

    /** The inverse of {@link #assemble}: the registers a device in this order would hold. */
    public int[] split(long value, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int w = (int) (value >>> (16 * (n - 1 - i))) & 0xFFFF;
            if (bytesSwapped) {
                w = ((w & 0xFF) << 8) | (w >>> 8);
            }
            out[wordsReversed ? n - 1 - i : i] = w;
        }
        return out;
    }

    public static WordOrder parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("word order '" + text + "' is not one of ABCD, CDAB, BADC, DCBA");
        }
    }
}
