package io.eiedge.ledger.peers;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerHeaderStoreTest {
    @TempDir
    Path dir;

    private final byte[] certDer = "certificate of exchange-01".getBytes();
    private final Ed25519PrivateKey key = new Ed25519PrivateKey(Hash32.sha256("exchange-01 seed".getBytes()).bytes());
    private final TrustedDevice exchange = new TrustedDevice("exchange-01", "sub-3", "exchange", key.publicKey(),
            Hash32.sha256(certDer), certDer);

    /** A real chain of the peer, {@code blocks} blocks long, in its own folder. */
    private List<SignedHeader> peerChain(String folder, int blocks, long importBase) throws Exception {
        var identity = new ChainIdentity("exchange-01", key, certDer);
        try (Chain chain = Chain.open(dir.resolve(folder), identity, new BlockPolicy(100, Duration.ofSeconds(300)),
                Retention.DEFAULT, List::of, () -> Instant.parse("2026-06-01T00:00:00Z"))) {
            for (int b = 0; b < blocks; b++) {
                chain.append(ReadingDraft.of("store", 1000 + b, ClockStatus.SYNCHRONISED,
                        Map.of("1-0:1.8.0", new ScaledValue(importBase + b, 0, "Wh")), 0));
                chain.seal();
            }
            return chain.headers(0, 1000);
        }
    }

    private PeerHeaderStore store() {
        return PeerHeaderStore.open(dir.resolve("peers.db"));
    }

    @Test
    void syncsAChainFromGenesisAndReportsWitnesses() throws Exception {
        List<SignedHeader> chain = peerChain("a", 5, 0);
        try (PeerHeaderStore store = store()) {
            List<PeerOutcome> outcomes = store.acceptAll(chain.stream().map(h -> h.cose().encoded()).toList(), exchange);
            outcomes.forEach(o -> assertInstanceOf(PeerOutcome.Accepted.class, o));
            assertEquals(5, store.state("exchange-01").verifiedHeight());
            assertEquals(List.of(new Witness("exchange-01", 5, chain.get(5).hash())), store.drainWitnesses());
            assertEquals(List.of(), store.drainWitnesses(), "witnessed once");
            assertInstanceOf(PeerOutcome.Duplicate.class, store.accept(chain.get(3).cose().encoded(), exchange), "a replay changes nothing");
        }
        try (PeerHeaderStore store = store()) {
            assertEquals(chain.get(5), store.tip("exchange-01").orElseThrow(), "survives a restart");
        }
    }

    @Test
    void forgedMislinkedAndEarlyHeadersAreRefusedWithTheirReason() throws Exception {
        List<SignedHeader> chain = peerChain("a", 3, 0);
        try (PeerHeaderStore store = store()) {
            store.acceptAll(chain.subList(0, 2).stream().map(h -> h.cose().encoded()).toList(), exchange);

            Ed25519PrivateKey forger = new Ed25519PrivateKey(new byte[32]);
            byte[] forged = SignedHeader.sign(chain.get(2).header(), forger).cose().encoded();
            var r1 = assertInstanceOf(PeerOutcome.Refused.class, store.accept(forged, exchange));
            assertEquals(Reason.SIGNATURE, r1.reason());
            assertTrue(r1.misbehaviour());

            Header h2 = chain.get(2).header();
            Header mislinked = new Header(h2.deviceId(), h2.height(), Hash32.sha256(new byte[]{9}), h2.merkleRoot(), h2.firstSeq(),
                    h2.count(), h2.sealedAtMs(), h2.summary(), h2.witnesses(), h2.certHash());
            var r2 = assertInstanceOf(PeerOutcome.Refused.class, store.accept(SignedHeader.sign(mislinked, key).cose().encoded(), exchange));
            assertEquals(Reason.LINK, r2.reason());
            assertTrue(r2.why().contains("links to"), r2.why());

            Header early = new Header(h2.deviceId(), 7, chain.get(1).hash(), h2.merkleRoot(), h2.firstSeq(), h2.count(),
                    h2.sealedAtMs(), h2.summary(), h2.witnesses(), h2.certHash());
            var r3 = assertInstanceOf(PeerOutcome.Refused.class, store.accept(SignedHeader.sign(early, key).cose().encoded(), exchange));
            assertFalse(r3.misbehaviour(), "a gap is not misbehaviour");

            var r4 = assertInstanceOf(PeerOutcome.Refused.class, store.accept(new byte[]{(byte) 0xd2, (byte) 0x84, 1}, exchange));
            assertEquals(Reason.FORMAT, r4.reason());

            assertEquals(1, store.state("exchange-01").verifiedHeight(), "nothing bad was stored");
            assertEquals(3, store.state("exchange-01").misbehaviour());
            assertInstanceOf(PeerOutcome.Accepted.class, store.accept(chain.get(2).cose().encoded(), exchange));
        }
    }

    @Test
    void equivocationIsKeptAsEvidenceAndFreezesThePeer() throws Exception {
        List<SignedHeader> honest = peerChain("a", 3, 0);
        List<SignedHeader> rewritten = peerChain("b", 4, 500); // same key, another past
        try (PeerHeaderStore store = store()) {
            store.acceptAll(honest.stream().map(h -> h.cose().encoded()).toList(), exchange);
            var eq = assertInstanceOf(PeerOutcome.Equivocated.class, store.accept(rewritten.get(1).cose().encoded(), exchange));
            assertEquals(1, eq.evidence().height());
            Equivocation decoded = Equivocation.decode(eq.evidence().encode());
            assertEquals("exchange-01", decoded.deviceId());
            assertTrue(store.state("exchange-01").frozen());
            var refused = assertInstanceOf(PeerOutcome.Refused.class, store.accept(rewritten.get(4).cose().encoded(), exchange));
            assertEquals(Reason.EQUIVOCATION, refused.reason());
        }
        try (PeerHeaderStore store = store()) {
            assertTrue(store.state("exchange-01").frozen(), "the freeze survives a restart");
            assertEquals(1, store.evidence("exchange-01").size());
            store.clear("exchange-01", 0);
            assertFalse(store.state("exchange-01").frozen());
            assertEquals(1, store.evidence("exchange-01").size(), "evidence is never dropped");
        }
    }

    @Test
    void aFormerStoreFileIsMovedAsideAndPeersSyncAgain() throws Exception {
        java.nio.file.Files.write(dir.resolve("peers.db"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9}); // the old MapDB file
        List<SignedHeader> chain = peerChain("a", 2, 0);
        try (PeerHeaderStore store = store()) {
            assertTrue(store.recoveredFrom() != null && java.nio.file.Files.exists(store.recoveredFrom()), "moved aside");
            store.acceptAll(chain.stream().map(h -> h.cose().encoded()).toList(), exchange)
                    .forEach(o -> assertInstanceOf(PeerOutcome.Accepted.class, o));
        }
    }

    @Test
    void aTornLastRecordFallsBackToThePreviousHeaderWhichStillLinks() throws Exception {
        List<SignedHeader> chain = peerChain("a", 3, 0);
        try (PeerHeaderStore store = store()) {
            store.acceptAll(chain.stream().map(h -> h.cose().encoded()).toList(), exchange);
        }
        java.nio.file.Path idx = dir.resolve("peers.db").resolve("exchange-01").resolve("heights.idx");
        byte[] bytes = java.nio.file.Files.readAllBytes(idx);
        java.nio.file.Files.write(idx, java.util.Arrays.copyOf(bytes, bytes.length - 5)); // the last record cut short
        try (PeerHeaderStore store = store()) {
            assertEquals(2, store.state("exchange-01").verifiedHeight());
            assertInstanceOf(PeerOutcome.Accepted.class, store.accept(chain.get(3).cose().encoded(), exchange),
                    "the header that was lost is simply synced again");
            assertEquals(chain, store.headers("exchange-01", 0, 10));
        }
    }

    @Test
    void pruningKeepsEachPeersNewestHeader() throws Exception {
        List<SignedHeader> chain = peerChain("a", 4, 0);
        try (PeerHeaderStore store = store()) {
            store.acceptAll(chain.stream().map(h -> h.cose().encoded()).toList(), exchange);
            assertEquals(4, store.prune("exchange-01", 100));
            assertEquals(List.of(chain.get(4)), store.headers("exchange-01", 0, 10));
            assertInstanceOf(PeerOutcome.Refused.class, store.accept(chain.get(2).cose().encoded(), exchange));
        }
    }
}
