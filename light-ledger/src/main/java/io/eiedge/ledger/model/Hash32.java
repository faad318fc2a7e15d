package io.eiedge.ledger.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 value, immutable, comparable by content. */
public final class Hash32 implements Comparable<Hash32> {
    public static final Hash32 ZERO = new Hash32(new byte[32]);

    private final byte[] bytes;

    private Hash32(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Hash32 of(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a hash has 32 bytes, not " + bytes.length);
        }
        return new Hash32(bytes.clone());
    }

    public static Hash32 ofHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public static Hash32 sha256(byte[] data) {
        return new Hash32(newDigest().digest(data));
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** First 8 hex digits, for logs and tables. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash32 h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Hash32 o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
