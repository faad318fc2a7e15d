package io.eiedge.ledger.model;

import java.util.regex.Pattern;

/**
 * OBIS code text form {@code A-B:C.D.E} (IEC 62056-61), each group 0..255. The ledger keeps
 * codes as their canonical text because that is what travels as CBOR map keys.
 */
public final class ObisCode {

    private static final Pattern FORM = Pattern.compile("(\\d{1,3})-(\\d{1,3}):(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private ObisCode() {
    }

    /** True when {@code text} is a well-formed OBIS code in canonical form (no leading zeros). */
    public static boolean isValid(String text) {
        var m = FORM.matcher(text);
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g <= 5; g++) {
            String group = m.group(g);
            if (Integer.parseInt(group) > 255 || (group.length() > 1 && group.charAt(0) == '0')) {
                return false;
            }
        }
        return true;
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
