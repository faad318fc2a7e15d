package io.eiedge.ledger.cose;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.codec.ReadingCodec;
import io.eiedge.ledger.model.Reading;

/** A reading with the COSE_Sign1 that carries it; {@code cose.encoded()} is what travels and is stored. */
public record SignedReading(Reading reading, CoseSign1 cose) {

    public static SignedReading sign(Reading reading, Ed25519PrivateKey key) {
        return new SignedReading(reading, CoseSign1.sign(ReadingCodec.encode(reading), key));
    }

    /** Strictly decodes the COSE object and its reading payload; does not check the signature. */
    public static SignedReading decode(byte[] cose) throws LedgerFormatException {
        CoseSign1 c = CoseSign1.decode(cose);
        return new SignedReading(ReadingCodec.decode(c.payload()), c);
    }

    public void verify(Ed25519PublicKey key) throws SignatureException {
        cose.verify(key);
    }

    public long seq() {
        return reading.seq();
    }
}
