package io.eiedge.ledger.crash;

import io.eiedge.ledger.TestIdentity;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ReadingLookup;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Checks a whole chain from genesis the way an aggregator would, with nothing but the
 * registrar root: every header signed by the device's certified key and linked to the one
 * before, every block's readings exactly its seq range and hashing to its Merkle root, every
 * reading (sealed or not) signed, seqs 1..nextSeq-1 without a gap, and each header's energy
 * summary equal to what its readings add up to.
 *
 * <p>Across calls it also remembers what it has seen: a header or reading, once seen, must
 * never change. Signatures already checked on identical bytes are not checked again, which
 * keeps a 50-kill run fast; every byte is still compared on every audit.
 */
final class ChainAudit {
    private final LedgerVerifier verifier;
    private final TrustedDevice device;
    private final Map<Long, Hash32> readingsSeen = new HashMap<>();
    private final List<Hash32> headersSeen = new ArrayList<>();

    /** What one audit found. */
    record Result(long nextSeq, long height, int unsealed, int newlyVerified) {
    }

    ChainAudit() throws Exception {
        this.verifier = TestIdentity.verifier();
        this.device = verifier.trust(TestIdentity.deviceCertDer());
    }

    Result audit(Chain chain) throws Exception {
        SignedHeader head = chain.head();
        List<SignedHeader> headers = chain.headers(0, Integer.MAX_VALUE);
        check(headers.size() == head.height() + 1, "headers(0..) returned " + headers.size() + " headers, head is at height " + head.height());
        check(headers.get(headers.size() - 1).hash().equals(head.hash()), "the last stored header is not the head");
        for (int i = 0; i < headers.size(); i++) {
            SignedHeader h = headers.get(i);
            check(h.height() == i, "header at position " + i + " has height " + h.height());
            if (i < headersSeen.size()) {
                check(h.hash().equals(headersSeen.get(i)), "header " + i + " changed since the last audit");
            } else {
                verifier.verifyHeader(h.cose().encoded(), device);
                headersSeen.add(h.hash());
            }
        }
        LedgerVerifier.verifySegment(headers);

        long nextSeq = chain.nextSeq();
        List<SignedReading> all = chain.readingsFrom(1, Integer.MAX_VALUE);
        check(all.size() == nextSeq - 1, "readingsFrom(1) returned " + all.size() + " readings, nextSeq is " + nextSeq);
        for (int i = 0; i < all.size(); i++) {
            check(all.get(i).seq() == i + 1, "gap in seq: position " + i + " holds seq " + all.get(i).seq());
        }
        int newlyVerified = 0;
        for (SignedReading r : all) {
            byte[] cose = r.cose().encoded();
            Hash32 hash = Hash32.sha256(cose);
            Hash32 before = readingsSeen.get(r.seq());
            if (before != null) {
                check(before.equals(hash), "reading seq " + r.seq() + " changed since the last audit");
            } else {
                verifier.verifyReading(cose, device);
                readingsSeen.put(r.seq(), hash);
                newlyVerified++;
            }
        }

        // blocks: each header's readings, in order, hash to its Merkle root; summaries add up
        SortedMap<String, ScaledValue> summary = new TreeMap<>();
        for (SignedHeader h : headers.subList(1, headers.size())) {
            Header header = h.header();
            List<SignedReading> block = all.subList((int) header.firstSeq() - 1, (int) header.nextSeq() - 1);
            LedgerVerifier.verifyBlock(h, block);
            for (SignedReading r : block) {
                r.reading().values().forEach((obis, v) -> {
                    if (v.isEnergy()) {
                        summary.put(r.reading().meterId() + "/" + obis, v);
                    }
                });
            }
            check(summary.equals(header.summary()), "header " + header.height() + " summary " + header.summary()
                    + " is not what its readings add up to: " + summary);
        }
        int unsealed = (int) (nextSeq - head.header().nextSeq());
        check(unsealed >= 0 && unsealed == chain.unsealedCount(), "unsealed count " + chain.unsealedCount()
                + " but seq " + head.header().nextSeq() + ".." + (nextSeq - 1) + " are after the head");

        // the lookup an upstream aggregator uses: newest sealed reading with its proof, newest unsealed one
        if (head.header().count() > 0) {
            long seq = head.header().nextSeq() - 1;
            if (!(chain.reading(seq) instanceof ReadingLookup.Found found)) {
                throw new AssertionError("sealed reading " + seq + " is not found with a proof");
            }
            LedgerVerifier.verifyInclusion(found.reading(), found.proof(), found.header());
        }
        if (unsealed > 0) {
            check(chain.reading(nextSeq - 1) instanceof ReadingLookup.Unsealed, "newest reading " + (nextSeq - 1) + " is not unsealed");
        }
        return new Result(nextSeq, head.height(), unsealed, newlyVerified);
    }

    /** SHA-256 of the stored COSE bytes of {@code seq}, as this audit saw them. */
    Hash32 seen(long seq) {
        return readingsSeen.get(seq);
    }

    /** Forgets what was seen, then checks every signature again on the next audit. */
    void forget() {
        readingsSeen.clear();
        headersSeen.clear();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
