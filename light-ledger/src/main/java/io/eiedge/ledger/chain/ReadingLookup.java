package io.eiedge.ledger.chain;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.InclusionProof;

/** What the chain knows of one seq: a proven reading, one not yet sealed, one pruned, or nothing. */
public sealed interface ReadingLookup {

    /** Sealed in block {@code header}; {@code proof} leads from the reading to its Merkle root. */
    record Found(SignedReading reading, InclusionProof proof, SignedHeader header) implements ReadingLookup {
    }

    /** Durable but not yet in a block. */
    record Unsealed(SignedReading reading) implements ReadingLookup {
    }

    /** Existed in block {@code height}; its body was removed by retention (the header remains). */
    record Pruned(long seq, long height) implements ReadingLookup {
    }

    /** No reading with this seq was ever appended. */
    record Unknown(long seq) implements ReadingLookup {
    }
}
