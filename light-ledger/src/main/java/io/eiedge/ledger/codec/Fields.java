package io.eiedge.ledger.codec;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

import java.util.Map;

/**
 * Typed access to an integer-keyed CBOR map with errors that say which object, which key,
 * what was found and what the contract requires. Unknown keys are refused too.
 */
final class Fields {
    private final String what;
    private final CBORObject map;
    private final Map<Integer, String> names;

    private Fields(String what, CBORObject map, Map<Integer, String> names) {
        this.what = what;
        this.map = map;
        this.names = names;
    }

    /** @param names the contract's keys and their names; every key is required */
    static Fields of(String what, CBORObject item, Map<Integer, String> names) throws LedgerFormatException {
        if (item.getType() != CBORType.Map || item.isTagged()) {
            throw new LedgerFormatException(what + ": " + Cbor.typeName(item) + " where a map is required");
        }
        for (CBORObject key : item.getKeys()) {
            if (key.getType() != CBORType.Integer || !key.CanValueFitInInt32() || !names.containsKey(key.AsInt32Value())) {
                throw new LedgerFormatException(what + ": unknown key " + key + " (the contract defines keys " + names.keySet() + ")");
            }
        }
        for (var e : names.entrySet()) {
            if (!item.ContainsKey(e.getKey())) {
                throw new LedgerFormatException(what + ": required key " + e.getKey() + " (" + e.getValue() + ") missing");
            }
        }
        return new Fields(what, item, names);
    }

    String field(int key) {
        return what + " key " + key + " (" + names.get(key) + ")";
    }

    CBORObject raw(int key) {
        return map.get(key);
    }

    String text(int key) throws LedgerFormatException {
        return text(raw(key), field(key));
    }

    long uint(int key) throws LedgerFormatException {
        return uint(raw(key), field(key));
    }

    byte[] bytes32(int key) throws LedgerFormatException {
        return bytes(raw(key), field(key), 32);
    }

    static String text(CBORObject o, String field) throws LedgerFormatException {
        if (o.getType() != CBORType.TextString || o.isTagged()) {
            throw new LedgerFormatException(field + ": " + Cbor.typeName(o) + " where a text string is required");
        }
        return o.AsString();
    }

    static long uint(CBORObject o, String field) throws LedgerFormatException {
        long v = integer(o, field);
        if (v < 0) {
            throw new LedgerFormatException(field + ": negative integer where an unsigned integer is required");
        }
        return v;
    }

    static long integer(CBORObject o, String field) throws LedgerFormatException {
        if (o.getType() != CBORType.Integer || o.isTagged()) {
            throw new LedgerFormatException(field + ": " + Cbor.typeName(o) + " where an integer is required");
        }
        if (!o.CanValueFitInInt64()) {
            throw new LedgerFormatException(field + ": integer " + o + " beyond 64-bit range");
        }
        return o.AsInt64Value();
    }

    static byte[] bytes(CBORObject o, String field, int size) throws LedgerFormatException {
        if (o.getType() != CBORType.ByteString || o.isTagged()) {
            throw new LedgerFormatException(field + ": " + Cbor.typeName(o) + " where a byte string is required");
        }
        byte[] b = o.GetByteString();
        if (size >= 0 && b.length != size) {
            throw new LedgerFormatException(field + ": " + b.length + " bytes where " + size + " are required");
        }
        return b;
    }

    static CBORObject array(CBORObject o, String field, int size) throws LedgerFormatException {
        if (o.getType() != CBORType.Array || o.isTagged()) {
            throw new LedgerFormatException(field + ": " + Cbor.typeName(o) + " where an array is required");
        }
        if (size >= 0 && o.size() != size) {
            throw new LedgerFormatException(field + ": array of " + o.size() + " where " + size + " elements are required");
        }
        return o;
    }
}
