package io.eiedge.ledger.codec;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.ObisCode;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.Reading;

import java.util.Map;

/** The reading map of DESIGN, encoded deterministically and decoded strictly. */
public final class ReadingCodec {
    private static final Map<Integer, String> KEYS = Map.of(1, "device", 2, "meter", 3, "seq", 4, "time",
            5, "clock", 6, "values", 7, "quality");

    private ReadingCodec() {
    }

    public static byte[] encode(Reading r) {
        CBORObject map = CBORObject.NewMap()
                .Add(1, r.deviceId())
                .Add(2, r.meterId())
                .Add(3, r.seq())
                .Add(4, r.timeMs())
                .Add(5, r.clock().code())
                .Add(6, ValuesCodec.encode(r.values()))
                .Add(7, r.quality());
        return Cbor.encode(map);
    }

    public static Reading decode(byte[] payload) throws LedgerFormatException {
        Fields f = Fields.of("reading", Cbor.decodeCanonical(payload, "reading"), KEYS);
        long seq = f.uint(3);
        if (seq == 0) {
            throw new LedgerFormatException(f.field(3) + ": 0, seq starts at 1");
        }
        long clock = f.uint(5);
        if (clock > 2) {
            throw new LedgerFormatException(f.field(5) + ": " + clock + ", expected 0, 1 or 2");
        }
        long quality = f.uint(7);
        if ((quality & ~Quality.ALL) != 0) {
            throw new LedgerFormatException(f.field(7) + ": undefined bits in " + quality + " (defined: 1..32)");
        }
        var values = ValuesCodec.decode(f.raw(6), f.field(6), ObisCode::isValid, "an OBIS code A-B:C.D.E");
        return new Reading(f.text(1), f.text(2), seq, f.uint(4), ClockStatus.ofCode(clock), values, (int) quality);
    }
}
