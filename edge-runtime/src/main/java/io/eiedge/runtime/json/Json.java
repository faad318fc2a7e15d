package io.eiedge.runtime.json;

import com.upokecenter.cbor.CBORObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for people and scripts ({@code --json}, status files, watch lines), written by the CBOR
 * library the ledger already ships (its JSON writer does the escaping), keeping map order.
 * Values: maps, lists, strings, numbers, booleans, {@code null} and {@link Optional}.
 */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        return toCbor(value).ToJSONString();
    }

    private static CBORObject toCbor(Object v) {
        if (v instanceof Optional<?> o) {
            return toCbor(o.orElse(null));
        }
        if (v == null) {
            return CBORObject.Null;
        }
        if (v instanceof Map<?, ?> m) {
            CBORObject map = CBORObject.NewOrderedMap();
            m.forEach((k, val) -> map.Add(String.valueOf(k), toCbor(val)));
            return map;
        }
        if (v instanceof List<?> l) {
            CBORObject array = CBORObject.NewArray();
            l.forEach(x -> array.Add(toCbor(x)));
            return array;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return CBORObject.FromObject(v);
        }
        return CBORObject.FromObject(v.toString());
    }
}
