package io.eiedge.ledger.cose;

import io.eiedge.ledger.model.Hash32;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key with its point decoded once, so verifying many signatures of one
 * device does not decompress the key each time.
 */
public final class Ed25519PublicKey {
    /** SubjectPublicKeyInfo DER prefix for Ed25519 (RFC 8410); the 32 key bytes follow. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final byte[] raw;
    private final Ed25519.PublicPoint point;
    private final Hash32 kid;

    public Ed25519PublicKey(byte[] raw) {
        if (raw.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        this.raw = raw.clone();
        this.point = Ed25519.validatePublicKeyFullExport(this.raw, 0);
        if (point == null) {
            throw new IllegalArgumentException("not a valid Ed25519 public key point");
        }
        this.kid = Hash32.sha256(spkiDer());
    }

    /** From a SubjectPublicKeyInfo DER (what an X.509 certificate carries). */
    public static Ed25519PublicKey fromSpki(byte[] spkiDer) {
        if (spkiDer.length != SPKI_PREFIX.length + 32
                || !Arrays.equals(spkiDer, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 SubjectPublicKeyInfo");
        }
        return new Ed25519PublicKey(Arrays.copyOfRange(spkiDer, SPKI_PREFIX.length, spkiDer.length));
    }

    public byte[] spkiDer() {
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, 32);
        return der;
    }

    /** DESIGN's kid: SHA-256 of the SubjectPublicKeyInfo DER. */
    public Hash32 kid() {
        return kid;
    }

    public byte[] bytes() {
        return raw.clone();
    }

    byte[] rawBytes() {
        return raw;
    }

    public boolean verify(byte[] signature, byte[] message) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, point, message, 0, message.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey k && Arrays.equals(raw, k.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[kid=" + kid.shortHex() + "]";
    }
}
