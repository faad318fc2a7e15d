package io.eiedge.ledger.codec;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

import java.io.ByteArrayInputStream;

/**
 * The project's one door to the CBOR library. Encoding is RFC 8949 §4.2.1 deterministic
 * (for our keys — small integers and short text — CTAP2 canonical order is the same order).
 * Decoding is strict: anything our encoder would not have produced is refused, with the
 * library's finding translated into words an operator can act on.
 */
public final class Cbor {

    /** Deterministic encoding; also the strict decoding profile (no tags, shortest forms, ordered keys). */
    static final CBOREncodeOptions CANONICAL = new CBOREncodeOptions("allowduplicatekeys=false;ctap2canonical=true");
    /** For structures that carry a tag (COSE_Sign1): well-formed, no duplicate keys; canonical form checked by re-encoding. */
    static final CBOREncodeOptions WELL_FORMED = new CBOREncodeOptions("allowduplicatekeys=false");

    private Cbor() {
    }

    public static byte[] encode(CBORObject object) {
        return object.EncodeToBytes(CANONICAL);
    }

    /** Decodes one deterministic CBOR item that must span all of {@code bytes}. */
    public static CBORObject decodeCanonical(byte[] bytes, String what) throws LedgerFormatException {
        return decode(bytes, what, CANONICAL);
    }

    /** Decodes one well-formed item (tags allowed, no duplicate keys) spanning all of {@code bytes}. */
    public static CBORObject decodeWellFormed(byte[] bytes, String what) throws LedgerFormatException {
        return decode(bytes, what, WELL_FORMED);
    }

    private static CBORObject decode(byte[] bytes, String what, CBOREncodeOptions options) throws LedgerFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new LedgerFormatException(what + ": empty input");
        }
        var in = new ByteArrayInputStream(bytes);
        CBORObject item;
        try {
            item = CBORObject.Read(in, options);
        } catch (CBORException | IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            throw new LedgerFormatException(what + ": " + explain(e), e);
        }
        if (item == null) {
            throw new LedgerFormatException(what + ": truncated CBOR (no complete item)");
        }
        if (in.available() > 0) {
            throw new LedgerFormatException(what + ": " + in.available() + " trailing bytes after the CBOR item");
        }
        return item;
    }

    /** The library's messages, said in the contract's words. */
    private static String explain(Exception e) {
        String m = String.valueOf(e.getMessage());
        String lower = m.toLowerCase();
        if (lower.contains("premature end") || lower.contains("end of data") || lower.contains("end of stream")) {
            return "truncated CBOR (" + m + ")";
        }
        if (lower.contains("not in canonical order")) {
            return "map keys not in ascending (deterministic) order";
        }
        if (lower.contains("non-shortest")) {
            return "integer or length not in shortest form";
        }
        if (lower.contains("duplicate")) {
            return "duplicate map key";
        }
        if (lower.contains("invalid canonical") || lower.contains("indefinite")) {
            return "not deterministic CBOR (indefinite length or disallowed item): " + m;
        }
        if (lower.contains("tags not allowed")) {
            return "tagged item where none is allowed";
        }
        if (lower.contains("floating") || lower.contains("float")) {
            return "floating-point value where an integer is required";
        }
        return "malformed CBOR: " + m;
    }

    /** Readable CBOR type name for error messages. */
    static String typeName(CBORObject o) {
        if (o.isTagged()) {
            return "tagged item";
        }
        CBORType t = o.getType();
        return switch (t) {
            case Integer -> o.AsNumber().IsNegative() ? "negative integer" : "unsigned integer";
            case TextString -> "text string";
            case ByteString -> "byte string";
            case Array -> "array";
            case Map -> "map";
            case FloatingPoint -> "float";
            case Boolean -> "boolean";
            case SimpleValue -> o.isNull() ? "null" : o.isUndefined() ? "undefined" : "simple value";
            default -> t.name();
        };
    }
}
