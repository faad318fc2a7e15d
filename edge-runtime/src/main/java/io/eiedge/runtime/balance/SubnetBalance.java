package io.eiedge.runtime.balance;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * DESIGN's subnet balance: {@code {1: subnet, 2: time ms, 3: [* [device id, height, header hash]],
 * 4: {OBIS => [mantissa, scaler, unit]}}} — the headers summed and the totals per OBIS code.
 * Encoded deterministically (RFC 8949 §4.2.1) like every other signed eiedge payload.
 */
public record SubnetBalance(String subnet, long timeMs, List<Witness> sources, SortedMap<String, ScaledValue> totals) {

    public SubnetBalance {
        sources = List.copyOf(sources);
        totals = new TreeMap<>(totals);
    }

    public byte[] encode() {
        CBORObject headers = CBORObject.NewArray();
        for (Witness w : sources) {
            headers.Add(CBORObject.NewArray().Add(w.deviceId()).Add(w.height()).Add(w.headerHash().bytes()));
        }
        CBORObject values = CBORObject.NewMap();
        for (Map.Entry<String, ScaledValue> e : totals.entrySet()) {
            ScaledValue v = e.getValue();
            values.Add(e.getKey(), CBORObject.NewArray().Add(v.mantissa()).Add(v.scaler()).Add(v.unit()));
        }
        return Cbor.encode(CBORObject.NewMap().Add(1, subnet).Add(2, timeMs).Add(3, headers).Add(4, values));
    }

    /** Strict decoding (for aggregators and tests); names the field that is wrong. */
    public static SubnetBalance decode(byte[] bytes) throws LedgerFormatException {
        CBORObject m = Cbor.decodeCanonical(bytes, "subnet balance");
        if (m.getType() != CBORType.Map || m.size() != 4) {
            throw new LedgerFormatException("subnet balance: must be a map with keys 1..4");
        }
        CBORObject subnet = m.get(1);
        CBORObject time = m.get(2);
        CBORObject headers = m.get(3);
        CBORObject values = m.get(4);
        if (subnet == null || subnet.getType() != CBORType.TextString) {
            throw new LedgerFormatException("subnet balance key 1 (subnet): must be text");
        }
        if (time == null || time.getType() != CBORType.Integer || time.AsNumber().IsNegative()) {
            throw new LedgerFormatException("subnet balance key 2 (time): must be an unsigned integer");
        }
        if (headers == null || headers.getType() != CBORType.Array) {
            throw new LedgerFormatException("subnet balance key 3 (headers): must be an array");
        }
        List<Witness> sources = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            CBORObject w = headers.get(i);
            if (w.getType() != CBORType.Array || w.size() != 3 || w.get(0).getType() != CBORType.TextString
                    || w.get(1).getType() != CBORType.Integer || w.get(2).getType() != CBORType.ByteString
                    || w.get(2).GetByteString().length != 32) {
                throw new LedgerFormatException("subnet balance key 3[" + i + "]: must be [device id, height, 32-byte hash]");
            }
            sources.add(new Witness(w.get(0).AsString(), w.get(1).AsInt64Value(), Hash32.of(w.get(2).GetByteString())));
        }
        if (values == null || values.getType() != CBORType.Map) {
            throw new LedgerFormatException("subnet balance key 4 (totals): must be a map");
        }
        SortedMap<String, ScaledValue> totals = new TreeMap<>();
        for (CBORObject k : values.getKeys()) {
            CBORObject v = values.get(k);
            if (k.getType() != CBORType.TextString || v.getType() != CBORType.Array || v.size() != 3
                    || v.get(0).getType() != CBORType.Integer || !v.get(0).CanValueFitInInt64()
                    || v.get(1).getType() != CBORType.Integer || v.get(2).getType() != CBORType.TextString) {
                throw new LedgerFormatException("subnet balance key 4: entry " + k + " must be OBIS => [mantissa, scaler, unit]");
            }
            try {
                totals.put(k.AsString(), new ScaledValue(v.get(0).AsInt64Value(), v.get(1).AsInt32Value(), v.get(2).AsString()));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new LedgerFormatException("subnet balance key 4: entry " + k + ": " + e.getMessage());
            }
        }
        return new SubnetBalance(subnet.AsString(), time.AsInt64Value(), sources, totals);
    }
}
