package io.eiedge.ledger.peers;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedHeader;

/**
 * Evidence that a device signed two different headers for one height: the two COSE objects
 * as received. Anyone holding the device's certificate can check it; it travels on the alert
 * topic as CBOR {@code [headerA COSE, headerB COSE]}.
 */
public record Equivocation(String deviceId, long height, byte[] headerA, byte[] headerB) {

    public byte[] encode() {
        return Cbor.encode(CBORObject.NewArray().Add(headerA).Add(headerB));
    }

    /** Decodes alert-topic evidence; both headers must decode, be of one device and height, and differ. */
    public static Equivocation decode(byte[] bytes) throws LedgerFormatException {
        CBORObject pair = Cbor.decodeCanonical(bytes, "equivocation evidence");
        if (pair.getType() != com.upokecenter.cbor.CBORType.Array || pair.size() != 2) {
            throw new LedgerFormatException("equivocation evidence: must be [headerA COSE, headerB COSE]");
        }
        byte[] a = pair.get(0).GetByteString();
        byte[] b = pair.get(1).GetByteString();
        SignedHeader ha = SignedHeader.decode(a);
        SignedHeader hb = SignedHeader.decode(b);
        if (!ha.deviceId().equals(hb.deviceId()) || ha.height() != hb.height() || ha.hash().equals(hb.hash())) {
            throw new LedgerFormatException("equivocation evidence: headers must be of one device and height and differ");
        }
        return new Equivocation(ha.deviceId(), ha.height(), a, b);
    }
}
