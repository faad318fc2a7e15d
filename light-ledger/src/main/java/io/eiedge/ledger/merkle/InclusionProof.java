package io.eiedge.ledger.merkle;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.model.Hash32;

import java.util.ArrayList;
import java.util.List;

/** DESIGN's inclusion proof {@code [height, leafIndex, treeSize, [* bstr]]} for one reading in one block. */
public record InclusionProof(long height, long leafIndex, long treeSize, List<Hash32> path) {

    public InclusionProof {
        if (height < 1 || leafIndex < 0 || treeSize < 1 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("proof: leaf " + leafIndex + " of " + treeSize + " at height " + height);
        }
        path = List.copyOf(path);
    }

    /** Does this proof lead from the reading's COSE bytes to {@code merkleRoot}? */
    public boolean verify(byte[] readingCose, Hash32 merkleRoot) {
        return MerkleTree.verifyInclusion(MerkleTree.leafHash(readingCose), leafIndex, treeSize, path, merkleRoot);
    }

    public CBORObject toCbor() {
        CBORObject hashes = CBORObject.NewArray();
        path.forEach(h -> hashes.Add(h.bytes()));
        return CBORObject.NewArray().Add(height).Add(leafIndex).Add(treeSize).Add(hashes);
    }

    public byte[] encode() {
        return Cbor.encode(toCbor());
    }

    public static InclusionProof decode(byte[] bytes) throws LedgerFormatException {
        return fromCbor(Cbor.decodeCanonical(bytes, "inclusion proof"));
    }

    public static InclusionProof fromCbor(CBORObject o) throws LedgerFormatException {
        if (o.getType() != CBORType.Array || o.size() != 4) {
            throw new LedgerFormatException("inclusion proof: must be [height, leafIndex, treeSize, [* hash]]");
        }
        long[] n = new long[3];
        for (int i = 0; i < 3; i++) {
            CBORObject v = o.get(i);
            if (v.getType() != CBORType.Integer || !v.CanValueFitInInt64() || v.AsInt64Value() < 0) {
                throw new LedgerFormatException("inclusion proof: element " + i + " must be an unsigned integer");
            }
            n[i] = v.AsInt64Value();
        }
        CBORObject hashes = o.get(3);
        if (hashes.getType() != CBORType.Array || hashes.size() > 64) {
            throw new LedgerFormatException("inclusion proof: path must be an array of at most 64 hashes");
        }
        List<Hash32> path = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            CBORObject h = hashes.get(i);
            if (h.getType() != CBORType.ByteString || h.GetByteString().length != 32) {
                throw new LedgerFormatException("inclusion proof: path[" + i + "] must be a 32-byte hash");
            }
            path.add(Hash32.of(h.GetByteString()));
        }
        if (n[0] < 1 || n[2] < 1 || n[1] >= n[2]) {
            throw new LedgerFormatException("inclusion proof: leaf " + n[1] + " of a tree of " + n[2] + " at height " + n[0] + " is impossible");
        }
        return new InclusionProof(n[0], n[1], n[2], path);
    }
}
