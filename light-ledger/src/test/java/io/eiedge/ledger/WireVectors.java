package io.eiedge.ledger;

import com.upokecenter.cbor.CBORObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Loads {@code wire-v1.json}, the contract's byte-exact vectors, from the test resources. */
public final class WireVectors {
    private WireVectors() {
    }

    public static CBORObject load() {
        try (InputStream in = WireVectors.class.getResourceAsStream("/wire-v1.json")) {
            return CBORObject.FromJSONString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] hex(CBORObject o) {
        return HexFormat.of().parseHex(o.AsString());
    }
}
