package io.eiedge.ledger.cose;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.model.Hash32;

/** Field checks of a COSE_Sign1, each with its own refusal. */
final class CoseDecoding {
    private CoseDecoding() {
    }

    static CBORObject decodeTagged(byte[] encoded) throws LedgerFormatException {
        return Cbor.decodeWellFormed(encoded, "COSE_Sign1");
    }

    static byte[] bytes(CBORObject o, String field) throws LedgerFormatException {
        if (o.getType() != CBORType.ByteString || o.isTagged()) {
            throw new LedgerFormatException(field + ": must be a byte string");
        }
        return o.GetByteString();
    }

    static int alg(byte[] protectedBytes) throws LedgerFormatException {
        CBORObject map = Cbor.decodeCanonical(protectedBytes, "COSE_Sign1 protected header");
        if (map.getType() != CBORType.Map || map.size() != 1 || !map.ContainsKey(1)) {
            throw new LedgerFormatException("COSE_Sign1 protected header: must be exactly {1: alg}");
        }
        CBORObject alg = map.get(1);
        if (alg.getType() != CBORType.Integer || !alg.CanValueFitInInt32()) {
            throw new LedgerFormatException("COSE_Sign1 protected header: alg must be an integer");
        }
        int value = alg.AsInt32Value();
        if (value != CoseSign1.ALG_EDDSA && value != CoseSign1.ALG_ED25519) {
            String name = value == -7 ? "ES256 (-7)" : String.valueOf(value);
            throw new LedgerFormatException("COSE_Sign1 protected header: alg is " + name + ", not EdDSA (-8) or Ed25519 (-19)");
        }
        return value;
    }

    static Hash32 kid(CBORObject unprotected) throws LedgerFormatException {
        if (unprotected.getType() != CBORType.Map || unprotected.isTagged()) {
            throw new LedgerFormatException("COSE_Sign1 unprotected header: must be a map {4: kid}");
        }
        if (unprotected.size() != 1 || !unprotected.ContainsKey(4)) {
            throw new LedgerFormatException("COSE_Sign1 unprotected header: must be exactly {4: kid}");
        }
        byte[] kid = bytes(unprotected.get(4), "COSE_Sign1 kid");
        if (kid.length != 32) {
            throw new LedgerFormatException("COSE_Sign1 kid: " + kid.length + " bytes, a SHA-256 of the SPKI has 32");
        }
        return Hash32.of(kid);
    }
}
