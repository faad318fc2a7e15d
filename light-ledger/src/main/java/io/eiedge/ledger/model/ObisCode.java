package io.eiedge.ledger.model;

/**
 * OBIS code text form {@code A-B:C.D.E} (IEC 62056-61), each group 0..255. The ledger keeps
 * codes as their canonical text because that is what travels as CBOR map keys.
 */
public final class ObisCode {

    /** The separators after groups A..D: {@code A-B:C.D.E}. */
    private static final String SEPARATORS = "-:..";

    private ObisCode() {
    }

    /**
     * True when {@code text} is a well-formed OBIS code in canonical form (no leading zeros). A
     * scan rather than a regular expression: every header's summary keys pass through here when a
     * peer's headers are decoded, and the matcher's groups were a noticeable share of that.
     */
    public static boolean isValid(String text) {
        int i = 0;
        int n = text.length();
        for (int group = 0; group < 5; group++) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            if (group < 4) {
                if (i >= n || text.charAt(i) != SEPARATORS.charAt(group)) {
                    return false;
                }
                i++;
            }
        }
        return i == n;
    }

    /** Returns {@code text} or throws naming what is wrong with it. */
    public static String require(String text) {
        if (text == null || !isValid(text)) {
            throw new IllegalArgumentException("not an OBIS code (A-B:C.D.E, each 0..255): " + text);
        }
        return text;
    }

    /** Medium group A: 1 electricity, 6 heat, 7 gas, 8 water, 0 abstract. */
    public static int medium(String text) {
        return Integer.parseInt(text.substring(0, text.indexOf('-')));
    }
}
