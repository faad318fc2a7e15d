package io.eiedge.ledger.merkle;

import io.eiedge.ledger.model.Hash32;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1 Merkle Tree Hash: leaf {@code SHA-256(0x00 || data)}, node
 * {@code SHA-256(0x01 || left || right)}, empty tree {@code SHA-256("")}; the split point is
 * the largest power of two below the size. Works on leaf hashes so a block's readings are
 * hashed once.
 */
public final class MerkleTree {
    private MerkleTree() {
    }

    public static Hash32 leafHash(byte[] data) {
        MessageDigest d = Hash32.newDigest();
        d.update((byte) 0);
        d.update(data);
        return Hash32.of(d.digest());
    }

    public static Hash32 nodeHash(Hash32 left, Hash32 right) {
        MessageDigest d = Hash32.newDigest();
        d.update((byte) 1);
        d.update(left.bytes());
        d.update(right.bytes());
        return Hash32.of(d.digest());
    }

    public static List<Hash32> leafHashes(List<byte[]> leaves) {
        List<Hash32> hashes = new ArrayList<>(leaves.size());
        for (byte[] leaf : leaves) {
            hashes.add(leafHash(leaf));
        }
        return hashes;
    }

    public static Hash32 root(List<Hash32> leafHashes) {
        if (leafHashes.isEmpty()) {
            return Hash32.sha256(new byte[0]);
        }
        return subtreeRoot(leafHashes, 0, leafHashes.size());
    }

    private static Hash32 subtreeRoot(List<Hash32> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = splitPoint(n);
        return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
    }

    /** RFC 9162 §2.1.3.1 audit path of leaf {@code index}, bottom-up. */
    public static List<Hash32> inclusionPath(List<Hash32> leafHashes, int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of a tree of " + leafHashes.size());
        }
        List<Hash32> path = new ArrayList<>();
        collectPath(leafHashes, index, 0, leafHashes.size(), path);
        return path;
    }

    private static void collectPath(List<Hash32> leaves, int index, int from, int to, List<Hash32> path) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = splitPoint(n);
        if (index < k) {
            collectPath(leaves, index, from, from + k, path);
            path.add(subtreeRoot(leaves, from + k, to));
        } else {
            collectPath(leaves, index - k, from + k, to, path);
            path.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /** RFC 9162 §2.1.3.2: does {@code path} lead from {@code leafHash} at {@code index} of {@code size} to {@code root}? */
    public static boolean verifyInclusion(Hash32 leafHash, long index, long size, List<Hash32> path, Hash32 root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        Hash32 r = leafHash;
        for (Hash32 p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.equals(root);
    }

    static int splitPoint(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
