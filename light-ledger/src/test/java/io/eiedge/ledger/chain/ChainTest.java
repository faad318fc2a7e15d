package io.eiedge.ledger.chain;

import io.eiedge.ledger.TestIdentity;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-06-01T12:00:00Z").toEpochMilli());
    private final List<Witness> witnesses = new ArrayList<>();

    private Chain open(BlockPolicy policy, Retention retention) throws LedgerStoreException {
        return Chain.open(dir, TestIdentity.router07(), policy, retention, () -> List.copyOf(witnesses), () -> Instant.ofEpochMilli(now.get()));
    }

    private Chain open() throws LedgerStoreException {
        return open(new BlockPolicy(100, Duration.ofSeconds(300)), Retention.DEFAULT);
    }

    private static ReadingDraft grid(long timeMs, long importWh) {
        return ReadingDraft.of("grid", timeMs, ClockStatus.SYNCHRONISED,
                Map.of("1-0:1.8.0", new ScaledValue(importWh, 0, "Wh"), "1-0:16.7.0", new ScaledValue(-1520, 0, "W")), Quality.GOOD);
    }

    @Test
    void newChainStartsWithGenesisAndSignedReadingsVerify() throws Exception {
        LedgerVerifier verifier = TestIdentity.verifier();
        TrustedDevice router = verifier.trust(TestIdentity.deviceCertDer());
        try (Chain chain = open()) {
            SignedHeader genesis = chain.head();
            assertEquals(0, genesis.height());
            assertEquals(Hash32.ZERO, genesis.header().prevHash());
            verifier.verifyHeader(genesis.cose().encoded(), router);

            List<SignedReading> appended = chain.append(List.of(grid(now.get(), 1000), grid(now.get(), 1001)));
            assertEquals(List.of(1L, 2L), appended.stream().map(SignedReading::seq).toList());
            for (SignedReading r : appended) {
                verifier.verifyReading(r.cose().encoded(), router);
            }
            witnesses.add(new Witness("exchange-01", 17, Hash32.sha256(new byte[]{1})));
            SignedHeader block1 = chain.seal();
            verifier.verifyHeader(block1.cose().encoded(), router);
            LedgerVerifier.verifyLink(genesis, block1);
            LedgerVerifier.verifyBlock(block1, appended);
            assertEquals(1, block1.header().firstSeq());
            assertEquals(2, block1.header().count());
            assertEquals(new ScaledValue(1001, 0, "Wh"), block1.header().summary().get("grid/1-0:1.8.0"));
            assertEquals(1, block1.header().summary().size(), "power is not an energy register");
            assertEquals(witnesses, block1.header().witnesses());

            var found = assertInstanceOf(ReadingLookup.Found.class, chain.reading(2));
            LedgerVerifier.verifyInclusion(found.reading(), found.proof(), found.header());
            assertEquals(appended.get(1), found.reading());
            assertInstanceOf(ReadingLookup.Unknown.class, chain.reading(3));
        }
    }

    @Test
    void restartKeepsSealedAndUnsealedReadingsAndContinuesSeq() throws Exception {
        try (Chain chain = open()) {
            chain.append(List.of(grid(1, 10), grid(2, 11), grid(3, 12)));
            chain.seal();
            chain.append(List.of(grid(4, 13), grid(5, 14)));
        }
        try (Chain chain = open()) {
            assertEquals(1, chain.head().height());
            assertEquals(2, chain.unsealedCount());
            assertEquals(6, chain.nextSeq());
            assertInstanceOf(ReadingLookup.Unsealed.class, chain.reading(5));
            SignedReading six = chain.append(grid(6, 15));
            assertEquals(6, six.seq());
            SignedHeader block2 = chain.seal();
            assertEquals(4, block2.header().firstSeq());
            assertEquals(3, block2.header().count());
            assertEquals(new ScaledValue(15, 0, "Wh"), block2.header().summary().get("grid/1-0:1.8.0"));
            List<SignedHeader> all = chain.headers(0, 10);
            assertEquals(3, all.size());
            LedgerVerifier.verifySegment(all);
            assertEquals(List.of(3L, 4L, 5L, 6L), chain.readingsFrom(3, 10).stream().map(SignedReading::seq).toList());
        }
    }

    @Test
    void blockPolicySealsByCountAndByAge() throws Exception {
        try (Chain chain = open(new BlockPolicy(4, Duration.ofSeconds(60)), Retention.DEFAULT)) {
            List<ReadingDraft> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add(grid(i, i));
            }
            chain.append(ten);
            assertEquals(2, chain.head().height(), "two full blocks of 4");
            assertEquals(2, chain.unsealedCount());
            assertTrue(chain.sealIfDue(now.get() + 59_000).isEmpty());
            SignedHeader byAge = chain.sealIfDue(now.get() + 60_000).orElseThrow();
            assertEquals(2, byAge.header().count());
            assertEquals(9, byAge.header().firstSeq());
        }
    }

    @Test
    void tornTailIsCutAndEverythingBeforeItSurvives() throws Exception {
        try (Chain chain = open()) {
            chain.append(List.of(grid(1, 1), grid(2, 2)));
        }
        Path segment;
        try (var files = Files.list(dir.resolve("readings"))) {
            segment = files.findFirst().orElseThrow();
        }
        Files.write(segment, new byte[]{0, 0, 0, 90, 1, 2, 3, 4, 5}, StandardOpenOption.APPEND); // a frame cut short
        try (Chain chain = open()) {
            assertEquals(3, chain.nextSeq());
            assertEquals(3, chain.append(grid(3, 3)).seq());
            chain.seal();
            assertEquals(List.of(1L, 2L, 3L), chain.readingsFrom(1, 10).stream().map(SignedReading::seq).toList());
        }
    }

    @Test
    void aFlippedBitInsideASegmentIsDamageNotATornTailAndNothingIsCut() throws Exception {
        try (Chain chain = open()) {
            chain.append(List.of(grid(1, 1), grid(2, 2), grid(3, 3)));
            chain.seal();
        }
        Path segment;
        try (var files = Files.list(dir.resolve("readings"))) {
            segment = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[40] ^= 0x10; // inside the first of three frames
        Files.write(segment, bytes);
        LedgerStoreException e = assertThrows(LedgerStoreException.class, this::open);
        assertTrue(e.getMessage().contains("damaged at offset 0") && e.getMessage().contains("nothing is cut"), e.getMessage());
        assertEquals(bytes.length, Files.size(segment), "the sealed readings after the damage are still on disk");
        AuditReport audit = ChainAudit.audit(dir, null);
        assertTrue(!audit.ok() && audit.problems().toString().contains("damaged"), audit.problems().toString());
    }

    @Test
    void aZeroFilledTailLeftByTheFileSystemIsCut() throws Exception {
        try (Chain chain = open()) {
            chain.append(List.of(grid(1, 1), grid(2, 2)));
        }
        Path segment;
        try (var files = Files.list(dir.resolve("readings"))) {
            segment = files.findFirst().orElseThrow();
        }
        Files.write(segment, new byte[4096], StandardOpenOption.APPEND);
        try (Chain chain = open()) {
            assertEquals(3, chain.nextSeq());
            assertEquals(3, chain.append(grid(3, 3)).seq());
        }
    }

    @Test
    void aLedgerOfAnotherDeviceIsRefused() throws Exception {
        try (Chain chain = open()) {
            chain.append(grid(1, 1));
        }
        var other = new ChainIdentity("router-08", new Ed25519PrivateKey(new byte[32]), TestIdentity.deviceCertDer());
        LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> Chain.open(dir, other, BlockPolicy.DEFAULT,
                Retention.DEFAULT, List::of, () -> Instant.ofEpochMilli(now.get())));
        assertTrue(e.getMessage().contains("belongs to device 'router-07'"), e.getMessage());
    }

    @Test
    void retentionPrunesOldBodiesButKeepsHeadersAndSaysPruned() throws Exception {
        Retention small = new Retention(Duration.ofDays(1), 0, 4096);
        try (Chain chain = open(new BlockPolicy(20, Duration.ofSeconds(300)), small)) {
            List<ReadingDraft> batch = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                batch.add(grid(i, i));
            }
            chain.append(batch);
            chain.seal();
            long segmentsBefore = chain.stats().get("segments");
            assertTrue(segmentsBefore > 2, "small segments roll: " + segmentsBefore);
            assertEquals(0, chain.prune(now.get(), Long.MAX_VALUE), "nothing is a day old yet");
            now.addAndGet(Duration.ofDays(2).toMillis());
            List<ReadingDraft> fresh = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fresh.add(grid(now.get(), 1000 + i));
            }
            chain.append(fresh);
            chain.seal();
            assertEquals(0, chain.prune(now.get(), 1), "unpublished readings are kept");
            int removed = chain.prune(now.get(), Long.MAX_VALUE);
            assertTrue(removed > 0);
            assertInstanceOf(ReadingLookup.Pruned.class, chain.reading(1));
            assertEquals(chain.head().height() + 1, chain.headers(0, 1000).size(), "every header is kept");
            LedgerVerifier.verifySegment(chain.headers(0, 1000));
            var survivors = chain.readingsFrom(1, 1000);
            assertTrue(survivors.get(0).seq() > 1, "old bodies are gone");
            assertEquals(250, survivors.get(survivors.size() - 1).seq(), "fresh bodies stay");
            assertTrue(survivors.size() >= 50);
        }
        try (Chain chain = open(new BlockPolicy(20, Duration.ofSeconds(300)), small)) {
            assertInstanceOf(ReadingLookup.Pruned.class, chain.reading(1));
            assertInstanceOf(ReadingLookup.Found.class, chain.reading(250));
        }
    }

    @Test
    void concurrentAppendersGetDistinctGaplessSeqs() throws Exception {
        try (Chain chain = open(new BlockPolicy(50, Duration.ofSeconds(300)), Retention.DEFAULT)) {
            List<Thread> threads = new ArrayList<>();
            List<Long> seqs = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < 100; i++) {
                            seqs.add(chain.append(grid(i, i)).seq());
                        }
                    } catch (LedgerStoreException e) {
                        throw new IllegalStateException(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(400, seqs.size());
            assertEquals(400, seqs.stream().distinct().count());
            assertEquals(400, seqs.stream().mapToLong(Long::longValue).max().orElseThrow());
            chain.seal();
            LedgerVerifier.verifySegment(chain.headers(0, 100));
        }
    }

    @Test
    void verifierRefusesAReadingClaimingAnotherDevice() throws Exception {
        LedgerVerifier verifier = TestIdentity.verifier();
        TrustedDevice router = verifier.trust(TestIdentity.deviceCertDer());
        var impostor = new ChainIdentity("router-99", TestIdentity.deviceKey(), TestIdentity.deviceCertDer());
        try (Chain chain = Chain.open(dir, impostor, BlockPolicy.DEFAULT, Retention.DEFAULT, List::of, () -> Instant.ofEpochMilli(now.get()))) {
            SignedReading r = chain.append(grid(1, 1));
            VerificationException e = assertThrows(VerificationException.class, () -> verifier.verifyReading(r.cose().encoded(), router));
            assertEquals(VerificationException.Reason.IDENTITY, e.reason());
        }
    }

    @Test
    void theRootCannotBeImpersonated() throws Exception {
        LedgerVerifier verifier = TestIdentity.verifier();
        VerificationException e = assertThrows(VerificationException.class, () -> verifier.trust(TestIdentity.rootCertDer()));
        assertEquals(VerificationException.Reason.CERTIFICATE, e.reason());
        assertTrue(e.getMessage().contains("SAN"), e.getMessage());
    }

}
