package io.eiedge.runtime.coap;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.LedgerFormatException;

import java.util.ArrayList;
import java.util.List;

/** CBOR payloads of the resource table: arrays of COSE objects carried as byte strings. */
public final class Payloads {
    /** CoAP content-format of application/cbor (RFC 7049 registration, 60). */
    public static final int CBOR = 60;
    /** Most headers one GET or POST carries (DESIGN: N ≤ 500). */
    public static final int MAX_HEADERS = 500;

    private Payloads() {
    }

    public static byte[] byteStrings(List<byte[]> items) {
        CBORObject array = CBORObject.NewArray();
        items.forEach(array::Add);
        return Cbor.encode(array);
    }

    /**
     * Decodes {@code [* bstr]} with at most {@code max} elements.
     *
     * @throws LedgerFormatException naming what is wrong and where
     */
    public static List<byte[]> decodeByteStrings(byte[] payload, int max, String what) throws LedgerFormatException {
        if (payload == null || payload.length == 0) {
            throw new LedgerFormatException(what + ": empty payload, expected a CBOR array of byte strings");
        }
        CBORObject array = Cbor.decodeCanonical(payload, what);
        if (array.getType() != CBORType.Array) {
            throw new LedgerFormatException(what + ": expected a CBOR array of byte strings");
        }
        if (array.size() > max) {
            throw new LedgerFormatException(what + ": " + array.size() + " elements, at most " + max);
        }
        List<byte[]> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            CBORObject item = array.get(i);
            if (item.getType() != CBORType.ByteString || item.isTagged()) {
                throw new LedgerFormatException(what + "[" + i + "]: expected a byte string (a COSE_Sign1)");
            }
            out.add(item.GetByteString());
        }
        return out;
    }
}
