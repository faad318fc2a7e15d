package io.eiedge.ledger.codec;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.model.ScaledValue;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/** {@code { * tstr => [mantissa, scaler, unit] }}: a reading's values and a header's energy summary. */
final class ValuesCodec {
    private ValuesCodec() {
    }

    static CBORObject encode(Map<String, ScaledValue> values) {
        CBORObject map = CBORObject.NewMap();
        for (var e : values.entrySet()) {
            ScaledValue v = e.getValue();
            map.Add(e.getKey(), CBORObject.NewArray().Add(v.mantissa()).Add(v.scaler()).Add(v.unit()));
        }
        return map;
    }

    /** @param keyRule what a key must look like, with {@code keyForm} naming it in errors */
    static SortedMap<String, ScaledValue> decode(CBORObject o, String field, Predicate<String> keyRule, String keyForm)
            throws LedgerFormatException {
        if (o.getType() != CBORType.Map || o.isTagged()) {
            throw new LedgerFormatException(field + ": " + Cbor.typeName(o) + " where a map is required");
        }
        SortedMap<String, ScaledValue> values = new TreeMap<>();
        for (CBORObject k : o.getKeys()) {
            String key = Fields.text(k, field + " key");
            if (!keyRule.test(key)) {
                throw new LedgerFormatException(field + ": key '" + key + "' is not " + keyForm);
            }
            String entry = field + "['" + key + "']";
            CBORObject triple = Fields.array(o.get(k), entry, 3);
            long mantissa = Fields.integer(triple.get(0), entry + " mantissa");
            long scaler = Fields.integer(triple.get(1), entry + " scaler");
            String unit = Fields.text(triple.get(2), entry + " unit");
            if (scaler < -128 || scaler > 127) {
                throw new LedgerFormatException(entry + " scaler: " + scaler + " outside -128..127");
            }
            if (!ScaledValue.UNITS.contains(unit)) {
                throw new LedgerFormatException(entry + " unit: '" + unit + "' is not a SenML unit of the contract " + ScaledValue.UNITS);
            }
            values.put(key, new ScaledValue(mantissa, (int) scaler, unit));
        }
        return values;
    }
}
