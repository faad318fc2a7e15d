package io.eiedge.ledger.codec;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.ObisCode;
import io.eiedge.ledger.model.Witness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The header map of DESIGN, encoded deterministically and decoded strictly. */
public final class HeaderCodec {
    /** Generous bound so a hostile header cannot make us allocate without limit. */
    public static final int MAX_WITNESSES = 1024;

    private static final Map<Integer, String> KEYS = Map.of(1, "device", 2, "height", 3, "prev hash",
            4, "merkle root", 5, "first seq", 6, "count", 7, "sealed at", 8, "summary", 9, "witnesses", 10, "cert hash");

    private HeaderCodec() {
    }

    public static byte[] encode(Header h) {
        CBORObject witnesses = CBORObject.NewArray();
        for (Witness w : h.witnesses()) {
            witnesses.Add(CBORObject.NewArray().Add(w.deviceId()).Add(w.height()).Add(w.headerHash().bytes()));
        }
        CBORObject map = CBORObject.NewMap()
                .Add(1, h.deviceId())
                .Add(2, h.height())
                .Add(3, h.prevHash().bytes())
                .Add(4, h.merkleRoot().bytes())
                .Add(5, h.firstSeq())
                .Add(6, h.count())
                .Add(7, h.sealedAtMs())
                .Add(8, ValuesCodec.encode(h.summary()))
                .Add(9, witnesses)
                .Add(10, h.certHash().bytes());
        return Cbor.encode(map);
    }

    public static Header decode(byte[] payload) throws LedgerFormatException {
        Fields f = Fields.of("header", Cbor.decodeCanonical(payload, "header"), KEYS);
        long height = f.uint(2);
        long firstSeq = f.uint(5);
        long count = f.uint(6);
        if (firstSeq == 0) {
            throw new LedgerFormatException(f.field(5) + ": 0, seq starts at 1");
        }
        if (height == 0 && count != 0) {
            throw new LedgerFormatException(f.field(6) + ": genesis (height 0) holds no readings, count was " + count);
        }
        var summary = ValuesCodec.decode(f.raw(8), f.field(8), HeaderCodec::isSummaryKey, "\"meterId/OBIS\"");
        CBORObject rawWitnesses = Fields.array(f.raw(9), f.field(9), -1);
        if (rawWitnesses.size() > MAX_WITNESSES) {
            throw new LedgerFormatException(f.field(9) + ": " + rawWitnesses.size() + " witnesses, at most " + MAX_WITNESSES);
        }
        List<Witness> witnesses = new ArrayList<>(rawWitnesses.size());
        for (int i = 0; i < rawWitnesses.size(); i++) {
            String field = f.field(9) + "[" + i + "]";
            CBORObject w = Fields.array(rawWitnesses.get(i), field, 3);
            witnesses.add(new Witness(Fields.text(w.get(0), field + " device"), Fields.uint(w.get(1), field + " height"),
                    Hash32.of(Fields.bytes(w.get(2), field + " hash", 32))));
        }
        return new Header(f.text(1), height, Hash32.of(f.bytes32(3)), Hash32.of(f.bytes32(4)), firstSeq, count,
                f.uint(7), summary, witnesses, Hash32.of(f.bytes32(10)));
    }

    /** Header hash: SHA-256 of the header's deterministic CBOR bytes. */
    public static Hash32 hash(byte[] headerPayload) {
        return Hash32.sha256(headerPayload);
    }

    static boolean isSummaryKey(String key) {
        int slash = key.lastIndexOf('/');
        return slash > 0 && ObisCode.isValid(key.substring(slash + 1));
    }
}
