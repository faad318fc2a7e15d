package io.eiedge.drivers.p1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into P1 telegrams: from '/' to the line after '!'. A '/' before the '!'
 * means the telegram before it was cut off (a truncated telegram is reported, never parsed);
 * more than {@link P1Telegram#MAX_BYTES} without an end is dropped, so a babbling line costs at
 * most that much memory.
 */
final class TelegramFramer {
    private final byte[] buf = new byte[P1Telegram.MAX_BYTES + 8];
    private int len;
    private boolean inside;
    private boolean afterBang;
    private boolean overflow;

    /** Feeds bytes; returns the telegrams (and refusals) they completed, oldest first. */
    List<P1Telegram.Result> feed(byte[] data, int n) {
        List<P1Telegram.Result> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte b = data[i];
            if (b == '/' && !afterBang) {
                if (inside) out.add(new P1Telegram.Result.Bad("telegram truncated: a new telegram began before the '!' end line"));
                inside = true;
                overflow = false;
                len = 0;
            }
            if (!inside) continue;
            if (len == buf.length) {
                if (!overflow) out.add(new P1Telegram.Result.Bad("telegram longer than " + P1Telegram.MAX_BYTES + " bytes"));
                overflow = true;
                inside = false;
                afterBang = false;
                len = 0;
                continue;
            }
            buf[len++] = b;
            if (b == '!') afterBang = true;
            if (afterBang && b == '\n') {
                out.add(P1Telegram.parse(Arrays.copyOf(buf, len), len));
                inside = false;
                afterBang = false;
                len = 0;
            }
        }
        return out;
    }

    /** Bytes of a telegram begun but not ended. */
    int pending() {
        return inside ? len : 0;
    }

    void reset() {
        inside = false;
        afterBang = false;
        len = 0;
    }
}
