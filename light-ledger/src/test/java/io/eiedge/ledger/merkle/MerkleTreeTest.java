package io.eiedge.ledger.merkle;

import io.eiedge.ledger.model.Hash32;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 9162 trees beyond the vectors: a 1,000-leaf tree against a reference written straight from
 * the RFC's definition (MTH over byte arrays, no shared code), every leaf's proof, and proofs that
 * must fail.
 */
class MerkleTreeTest {

    /** RFC 9162 §2.1.1, literally: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0), MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])). */
    private static byte[] referenceMth(List<byte[]> d) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (d.isEmpty()) {
            return sha.digest();
        }
        if (d.size() == 1) {
            sha.update((byte) 0);
            return sha.digest(d.get(0));
        }
        int k = 1;
        while (k * 2 < d.size()) {
            k *= 2;
        }
        sha.update((byte) 1);
        sha.update(referenceMth(d.subList(0, k)));
        return sha.digest(referenceMth(d.subList(k, d.size())));
    }

    private static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] leaf = new byte[1 + i % 37];
            Arrays.fill(leaf, (byte) i);
            leaf[0] = (byte) (i >> 8);
            out.add(leaf);
        }
        return out;
    }

    @Test
    void everyLeafOfAThousandLeafTreeProvesItsInclusion() throws Exception {
        List<byte[]> data = leaves(1000);
        List<Hash32> hashes = MerkleTree.leafHashes(data);
        Hash32 root = MerkleTree.root(hashes);
        assertEquals(Hash32.of(referenceMth(data)), root);
        for (int i = 0; i < data.size(); i++) {
            List<Hash32> path = MerkleTree.inclusionPath(hashes, i);
            assertTrue(path.size() <= 10, "a 1000-leaf tree is at most 10 deep");
            assertTrue(MerkleTree.verifyInclusion(hashes.get(i), i, 1000, path, root), "leaf " + i);
            assertFalse(MerkleTree.verifyInclusion(hashes.get(i), (i + 1) % 1000, 1000, path, root), "leaf " + i + " at another index");
            assertFalse(MerkleTree.verifyInclusion(hashes.get(i), i, i, path, root), "leaf " + i + " beyond the tree's size");
            if (!path.isEmpty()) {
                List<Hash32> tampered = new ArrayList<>(path);
                tampered.set(i % path.size(), Hash32.sha256(new byte[]{(byte) i}));
                assertFalse(MerkleTree.verifyInclusion(hashes.get(i), i, 1000, tampered, root), "leaf " + i + " with a forged sibling");
                assertFalse(MerkleTree.verifyInclusion(hashes.get(i), i, 1000, path.subList(0, path.size() - 1), root),
                        "leaf " + i + " with a short path");
            }
        }
    }

    @Test
    void everySizeUpToSixtyFourMatchesTheReference() throws Exception {
        for (int n = 0; n <= 64; n++) {
            List<byte[]> data = leaves(n);
            List<Hash32> hashes = MerkleTree.leafHashes(data);
            Hash32 root = MerkleTree.root(hashes);
            assertEquals(Hash32.of(referenceMth(data)), root, n + " leaves");
            for (int i = 0; i < n; i++) {
                assertTrue(MerkleTree.verifyInclusion(hashes.get(i), i, n, MerkleTree.inclusionPath(hashes, i), root), i + " of " + n);
            }
        }
    }

    @Test
    void aProofTravelsAsCborAndStillVerifies() throws Exception {
        List<byte[]> data = leaves(7);
        List<Hash32> hashes = MerkleTree.leafHashes(data);
        InclusionProof proof = new InclusionProof(3, 4, 7, MerkleTree.inclusionPath(hashes, 4));
        InclusionProof back = InclusionProof.decode(proof.encode());
        assertEquals(proof, back);
        assertTrue(back.verify(data.get(4), MerkleTree.root(hashes)));
        assertFalse(back.verify(data.get(5), MerkleTree.root(hashes)));
    }
}
