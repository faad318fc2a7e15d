package io.eiedge.ledger.cose;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.model.Hash32;

import java.util.Arrays;

/**
 * A COSE_Sign1 (RFC 9052, tag 18) as the contract fixes it: protected {@code {1: -8}}
 * (verifiers also accept -19), unprotected {@code {4: kid}}, the payload, an Ed25519 signature.
 *
 * @param encoded the whole object as it travels; kept so hashing and storing never re-encode
 */
public record CoseSign1(int alg, Hash32 kid, byte[] payload, byte[] signature, byte[] encoded) {

    public static final int TAG = 18;
    public static final int ALG_EDDSA = -8;
    public static final int ALG_ED25519 = -19;
    /** Readings and headers are small; refuse anything that could not be one before decoding it. */
    public static final int MAX_ENCODED_SIZE = 64 * 1024;

    /** Signs {@code payload} with alg -8, the algorithm eiedge emits. */
    public static CoseSign1 sign(byte[] payload, Ed25519PrivateKey key) {
        byte[] protectedBytes = protectedHeader(ALG_EDDSA);
        byte[] signature = key.sign(sigStructure(protectedBytes, payload));
        Hash32 kid = key.publicKey().kid();
        CBORObject array = CBORObject.NewArray()
                .Add(protectedBytes)
                .Add(CBORObject.NewMap().Add(4, kid.bytes()))
                .Add(payload)
                .Add(signature);
        byte[] encoded = CBORObject.FromObjectAndTag(array, TAG).EncodeToBytes();
        return new CoseSign1(ALG_EDDSA, kid, payload, signature, encoded);
    }

    /** Strict decoding; the signature is not checked here (see {@link #verify}). */
    public static CoseSign1 decode(byte[] encoded) throws LedgerFormatException {
        if (encoded.length > MAX_ENCODED_SIZE) {
            throw new LedgerFormatException("COSE_Sign1: " + encoded.length + " bytes, more than " + MAX_ENCODED_SIZE);
        }
        CBORObject outer = CoseDecoding.decodeTagged(encoded);
        if (!outer.HasMostOuterTag(TAG) || outer.getMostOuterTag().ToInt32Checked() != TAG) {
            throw new LedgerFormatException("COSE_Sign1: not tagged 18 (COSE_Sign1)");
        }
        CBORObject array = outer.UntagOne();
        if (array.isTagged()) {
            throw new LedgerFormatException("COSE_Sign1: more than one tag");
        }
        if (array.getType() != com.upokecenter.cbor.CBORType.Array || array.size() != 4) {
            throw new LedgerFormatException("COSE_Sign1: must be an array of 4 (protected, unprotected, payload, signature)");
        }
        byte[] protectedBytes = CoseDecoding.bytes(array.get(0), "COSE_Sign1 protected header");
        int alg = CoseDecoding.alg(protectedBytes);
        Hash32 kid = CoseDecoding.kid(array.get(1));
        byte[] payload = CoseDecoding.bytes(array.get(2), "COSE_Sign1 payload");
        byte[] signature = CoseDecoding.bytes(array.get(3), "COSE_Sign1 signature");
        if (signature.length != 64) {
            throw new LedgerFormatException("COSE_Sign1 signature: " + signature.length + " bytes, Ed25519 needs 64");
        }
        // Anything our encoder would not have written byte for byte is refused: one object, one encoding.
        byte[] canonical = CBORObject.FromObjectAndTag(CBORObject.NewArray().Add(protectedBytes)
                .Add(CBORObject.NewMap().Add(4, kid.bytes())).Add(payload).Add(signature), TAG).EncodeToBytes();
        if (!Arrays.equals(canonical, encoded)) {
            throw new LedgerFormatException("COSE_Sign1: not in deterministic encoding");
        }
        return new CoseSign1(alg, kid, payload, signature, encoded);
    }

    /**
     * Checks kid and signature against {@code key}.
     *
     * @throws SignatureException naming which of the two failed
     */
    public void verify(Ed25519PublicKey key) throws SignatureException {
        if (!kid.equals(key.kid())) {
            throw new SignatureException("kid " + kid.shortHex() + "… is not the signer's key " + key.kid().shortHex() + "…");
        }
        if (!key.verify(signature, sigStructure(protectedHeader(alg), payload))) {
            throw new SignatureException("Ed25519 signature does not match the payload");
        }
    }

    /** {@code ["Signature1", protected, h'', payload]}, the bytes that are signed. */
    static byte[] sigStructure(byte[] protectedBytes, byte[] payload) {
        return CBORObject.NewArray().Add("Signature1").Add(protectedBytes).Add(new byte[0]).Add(payload).EncodeToBytes();
    }

    static byte[] protectedHeader(int alg) {
        return Cbor.encode(CBORObject.NewMap().Add(1, alg));
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The encoded bytes without a defensive copy, for hashing and storage inside the ledger. */
    public int encodedLength() {
        return encoded.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoseSign1 c && Arrays.equals(encoded, c.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "COSE_Sign1[alg=" + alg + ", kid=" + kid.shortHex() + ", " + encoded.length + " bytes]";
    }
}
