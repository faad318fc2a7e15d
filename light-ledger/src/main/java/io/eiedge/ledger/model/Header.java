package io.eiedge.ledger.model;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A block header (DESIGN's {@code header} map). Commits to its block's readings through the
 * Merkle root, to the previous header through its hash, to peers through the witnesses.
 *
 * @param summary "meterId/OBIS" → cumulative register value at block end
 */
public record Header(String deviceId, long height, Hash32 prevHash, Hash32 merkleRoot, long firstSeq,
                     long count, long sealedAtMs, SortedMap<String, ScaledValue> summary,
                     List<Witness> witnesses, Hash32 certHash) {

    public Header {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(merkleRoot, "merkleRoot");
        Objects.requireNonNull(certHash, "certHash");
        if (height < 0 || firstSeq < 1 || count < 0 || sealedAtMs < 0) {
            throw new IllegalArgumentException("negative height/count/time or seq < 1 in header " + height);
        }
        if (height == 0 && count != 0) {
            throw new IllegalArgumentException("genesis holds no readings");
        }
        summary = Collections.unmodifiableSortedMap(new TreeMap<>(summary));
        witnesses = List.copyOf(witnesses);
    }

    /** Seq the next block starts at. */
    public long nextSeq() {
        return firstSeq + count;
    }
}
