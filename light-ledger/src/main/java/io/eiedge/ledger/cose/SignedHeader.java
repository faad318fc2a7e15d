package io.eiedge.ledger.cose;

import io.eiedge.ledger.codec.HeaderCodec;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;

/** A header with its COSE_Sign1 and its hash (SHA-256 of the header's deterministic CBOR). */
public record SignedHeader(Header header, CoseSign1 cose, Hash32 hash) {

    public static SignedHeader sign(Header header, Ed25519PrivateKey key) {
        byte[] payload = HeaderCodec.encode(header);
        return new SignedHeader(header, CoseSign1.sign(payload, key), HeaderCodec.hash(payload));
    }

    /** Strictly decodes the COSE object and its header payload; does not check the signature. */
    public static SignedHeader decode(byte[] cose) throws LedgerFormatException {
        CoseSign1 c = CoseSign1.decode(cose);
        return new SignedHeader(HeaderCodec.decode(c.payload()), c, HeaderCodec.hash(c.payload()));
    }

    public void verify(Ed25519PublicKey key) throws SignatureException {
        cose.verify(key);
    }

    public long height() {
        return header.height();
    }

    public String deviceId() {
        return header.deviceId();
    }
}
