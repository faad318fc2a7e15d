package io.eiedge.runtime.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.peers.Equivocation;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.runtime.watch.WatchEvent.Outcome;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher fed in-process with what real devices produce: certificates from a real registrar,
 * readings and headers from real chains, CRLs from the registrar. Each test uses its own devices.
 */
class WatcherTest {
    @TempDir
    static Path dir;
    static Testbed bed;
    static Testbed otherRegistrar;
    static int counter;

    Watcher watcher;
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void registrars() throws Exception {
        bed = new Testbed(dir.resolve("bed"));
        otherRegistrar = new Testbed(dir.resolve("other"));
    }

    @BeforeEach
    void newWatcher() throws Exception {
        watcher = new Watcher(bed.root, Optional.empty(), "ei/v1", InstantSource.system(), events::add, 100);
    }

    private Testbed.Device device(String role) throws Exception {
        counter++;
        return bed.device(role + "-" + counter, "lab", role);
    }

    private void publishCert(Testbed.Device d) {
        watcher.accept(d.topic("cert"), d.certDer);
    }

    private void publish(Testbed.Device d, List<SignedReading> readings) {
        for (SignedReading r : readings) watcher.accept(d.topic("reading"), r.cose().encoded());
    }

    private void publishHeaders(Testbed.Device d, int from) {
        for (int i = from; i < d.headers.size(); i++) watcher.accept(d.topic("header"), d.headers.get(i).cose().encoded());
    }

    private DeviceSummary summary(Testbed.Device d) {
        return watcher.summaries().stream().filter(s -> s.device().equals(d.id)).findFirst().orElseThrow();
    }

    private Problem onlyProblem(Problem.Kind kind) {
        List<Problem> all = watcher.verdict().problems();
        assertEquals(1, all.size(), "problems: " + all);
        assertEquals(kind, all.get(0).kind(), all.toString());
        return all.get(0);
    }

    @Test
    void verifiesReadingsHeadersAndEveryCompleteBlock() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            publishHeaders(d, 0); // genesis
            publish(d, d.read(10)); // seals blocks 1 and 2 (4 readings each)
            d.chain.seal(); // block 3: readings 9 and 10
            publishHeaders(d, 1);

            DeviceSummary s = summary(d);
            assertEquals(10, s.readingsOk());
            assertEquals(4, s.headersOk());
            assertEquals(3, s.blocksVerified());
            assertEquals(10, s.lastSeq());
            assertEquals(3, s.lastHeight());
            assertEquals(0, s.missing());
            assertEquals("router", s.role());
            assertEquals(new ScaledValue(1_002_500, -3, "Wh"), s.energy().get("grid/1-0:1.8.0"));
            Verdict v = watcher.verdict();
            assertTrue(v.clean(), v.problems().toString());
            assertEquals("OK: 1 device, 10 readings, 4 headers, 3 blocks verified", v.headline());
            assertEquals(3, events.stream().filter(e -> e.detail().contains("matches the Merkle root")).count());
        }
    }

    @Test
    void holdsWhatArrivesBeforeTheCertificateAndVerifiesItWhenItComes() throws Exception {
        try (Testbed.Device d = device("exchange")) {
            publish(d, d.read(3));
            assertEquals(3, summary(d).held());
            assertEquals(3, events.stream().filter(e -> e.outcome() == Outcome.HELD).count());
            assertFalse(watcher.verdict().clean(), "unverified readings fail a check");
            assertEquals(Problem.Kind.UNVERIFIED, watcher.verdict().problems().get(0).kind());
            publishCert(d);
            assertEquals(3, summary(d).readingsOk());
            assertEquals(0, summary(d).held());
            assertTrue(watcher.verdict().clean(), watcher.verdict().problems().toString());
        }
    }

    @Test
    void anIdenticalRedeliveryIsADuplicateButADifferentReadingForTheSameSeqIsEquivocation() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            List<SignedReading> rs = d.read(3);
            publish(d, rs);
            publish(d, rs.subList(1, 2)); // QoS 1 / outbox re-delivery
            assertEquals(1, summary(d).duplicates());
            assertTrue(watcher.verdict().clean(), watcher.verdict().problems().toString());

            Reading second = new Reading(d.id, "grid", 2, System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                    Reading.values(Map.of("1-0:1.8.0", new ScaledValue(5, 0, "Wh"))), 0);
            watcher.accept(d.topic("reading"), SignedReading.sign(second, d.key).cose().encoded());
            Problem p = onlyProblem(Problem.Kind.EQUIVOCATION);
            assertTrue(p.detail().contains("two different signed readings for seq 2"), p.detail());
        }
    }

    @Test
    void aReadingSignedWithAnotherKeyIsForged() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            publish(d, d.read(2));
            Ed25519PrivateKey rogue = new Ed25519PrivateKey(new byte[32]);
            Reading fake = new Reading(d.id, "grid", 3, System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                    Reading.values(Map.of("1-0:1.8.0", new ScaledValue(1, 9, "Wh"))), 0);
            watcher.accept(d.topic("reading"), SignedReading.sign(fake, rogue).cose().encoded());
            Problem p = onlyProblem(Problem.Kind.FORGED);
            assertTrue(p.detail().contains("not with the key of " + d.id + "'s certificate"), p.detail());
            assertEquals(1, summary(d).forged());
            assertEquals(2, summary(d).readingsOk());
        }
    }

    @Test
    void aReadingOfOneDevicePublishedAsAnotherIsForged() throws Exception {
        try (Testbed.Device a = device("router"); Testbed.Device b = device("interface")) {
            publishCert(a);
            publishCert(b);
            for (SignedReading r : a.read(1)) watcher.accept(b.topic("reading"), r.cose().encoded());
            Problem p = onlyProblem(Problem.Kind.FORGED);
            assertEquals(b.id, p.device());
        }
    }

    @Test
    void aRevokedDevicesReadingsAreRefusedOnceTheCrlArrives() throws Exception {
        try (Testbed.Device d = device("interface")) {
            publishCert(d);
            publish(d, d.read(1));
            watcher.accept("ei/v1/lab/crl", Testbed.der(bed.revoke(d.id)));
            publish(d, d.read(1));
            Problem p = onlyProblem(Problem.Kind.REVOKED);
            assertTrue(p.detail().contains("seq 2"), p.detail());
            assertTrue(summary(d).revoked());
            assertEquals(1, summary(d).readingsOk());

            // a watcher that starts later sees the retained certificate after the CRL: refused, not a problem
            Watcher late = new Watcher(bed.root, Optional.of(bed.crl()), "ei/v1", InstantSource.system(), e -> { }, 100);
            late.accept(d.topic("cert"), d.certDer);
            assertTrue(late.problems().isEmpty(), late.problems().toString());
            for (SignedReading r : d.read(1)) late.accept(d.topic("reading"), r.cose().encoded());
            assertEquals(Problem.Kind.REVOKED, late.problems().get(0).kind());
        }
    }

    @Test
    void aMissingSeqIsAGapAndALateArrivalFillsIt() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            List<SignedReading> rs = d.read(5);
            publish(d, List.of(rs.get(0), rs.get(1), rs.get(3), rs.get(4)));
            Problem p = onlyProblem(Problem.Kind.SEQ_GAP);
            assertTrue(p.detail().startsWith("1 reading missing: seq 3"), p.detail());
            assertEquals(1, summary(d).missing());
            publish(d, List.of(rs.get(2)));
            assertTrue(watcher.verdict().clean(), watcher.verdict().problems().toString());
        }
    }

    @Test
    void readingsAHeaderCommitsToButThatNeverCameAreMissing() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            List<SignedReading> rs = d.read(4); // seals block 1: seq 1..4
            publish(d, rs.subList(0, 2));
            publishHeaders(d, 0);
            Problem p = onlyProblem(Problem.Kind.SEQ_GAP);
            assertTrue(p.detail().contains("seq 3-4"), p.detail());
            assertTrue(p.detail().contains("headers commit up to 4"), p.detail());
        }
    }

    @Test
    void aTamperedHeaderIsRefused() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            publishHeaders(d, 0);
            publish(d, d.read(4));
            byte[] cose = d.headers.get(1).cose().encoded();
            byte[] root = d.headers.get(1).header().merkleRoot().bytes();
            int at = indexOf(cose, root);
            cose[at] ^= 1; // still a well-formed header, committing to other readings
            watcher.accept(d.topic("header"), cose);
            Problem p = onlyProblem(Problem.Kind.FORGED);
            assertTrue(p.detail().contains("header 1"), p.detail());
            assertEquals(1, summary(d).headersBad());
            assertEquals(0, summary(d).blocksVerified());
        }
    }

    @Test
    void aSignedHeaderThatBreaksTheChainOrTheMerkleRootIsReported() throws Exception {
        try (Testbed.Device d = device("exchange")) {
            publishCert(d);
            publishHeaders(d, 0);
            publish(d, d.read(4));
            SignedHeader real = d.headers.get(1);
            Header h = real.header();
            Header mislinked = new Header(h.deviceId(), h.height(), Hash32.sha256(new byte[] {1}), h.merkleRoot(), h.firstSeq(),
                    h.count(), h.sealedAtMs(), h.summary(), h.witnesses(), h.certHash());
            watcher.accept(d.topic("header"), SignedHeader.sign(mislinked, d.key).cose().encoded());
            assertEquals(Problem.Kind.BROKEN_LINK, onlyProblem(Problem.Kind.BROKEN_LINK).kind());

            Header wrongRoot = new Header(h.deviceId(), h.height(), h.prevHash(), Hash32.sha256(new byte[] {2}), h.firstSeq(),
                    h.count(), h.sealedAtMs(), h.summary(), h.witnesses(), h.certHash());
            watcher.accept(d.topic("header"), SignedHeader.sign(wrongRoot, d.key).cose().encoded());
            List<Problem> ps = watcher.verdict().problems();
            assertEquals(Problem.Kind.MERKLE_MISMATCH, ps.get(1).kind(), ps.toString());
            assertTrue(ps.get(1).detail().contains("block 1"), ps.get(1).detail());

            // the device's real header 1 for the same height is now a second header: equivocation
            watcher.accept(d.topic("header"), real.cose().encoded());
            assertEquals(Problem.Kind.EQUIVOCATION, watcher.verdict().problems().get(2).kind());
        }
    }

    @Test
    void aSkippedHeightIsAGapNotForgery() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            publishHeaders(d, 0);
            List<SignedReading> rs = d.read(8);
            publish(d, rs);
            watcher.accept(d.topic("header"), d.headers.get(2).cose().encoded()); // height 1 lost
            assertEquals(1, summary(d).headerGaps());
            assertEquals(1, summary(d).blocksVerified()); // block 2 still checks against its readings
            assertTrue(watcher.verdict().clean(), watcher.verdict().problems().toString());
        }
    }

    @Test
    void equivocationEvidenceOnTheAlertTopicIsCheckedAndReported() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            publish(d, d.read(4));
            Header h = d.headers.get(1).header();
            Header other = new Header(h.deviceId(), h.height(), h.prevHash(), h.merkleRoot(), h.firstSeq(), h.count(),
                    h.sealedAtMs() + 1, h.summary(), h.witnesses(), h.certHash());
            byte[] evidence = new Equivocation(d.id, 1, d.headers.get(1).cose().encoded(),
                    SignedHeader.sign(other, d.key).cose().encoded()).encode();
            watcher.accept("ei/v1/lab/alert", evidence);
            Problem p = onlyProblem(Problem.Kind.ALERT);
            assertTrue(p.detail().contains(d.id + " signed two different headers for height 1 (evidence verified)"), p.detail());
        }
    }

    @Test
    void certificatesAndCrlsNotFromTheRegistrarAreRefused() throws Exception {
        try (Testbed.Device foreign = otherRegistrar.device("router-99", "lab", "router")) {
            watcher.accept(foreign.topic("cert"), foreign.certDer);
            assertEquals(Problem.Kind.UNTRUSTED_CERTIFICATE, onlyProblem(Problem.Kind.UNTRUSTED_CERTIFICATE).kind());
            publish(foreign, foreign.read(1));
            assertEquals(1, summary(foreign).held(), "its readings wait for a trusted certificate");
        }
        newWatcher();
        watcher.accept("ei/v1/lab/crl", Testbed.der(otherRegistrar.crl()));
        Problem p = onlyProblem(Problem.Kind.BAD_CRL);
        assertTrue(p.detail().contains("not signed by the registrar root"), p.detail());
        newWatcher();
        try (Testbed.Device d = device("router")) {
            watcher.accept("ei/v1/other-subnet/" + d.id + "/cert", d.certDer);
            assertTrue(onlyProblem(Problem.Kind.UNTRUSTED_CERTIFICATE).detail().contains("published as"));
        }
    }

    @Test
    void garbageIsMalformedAndForeignTopicsAreIgnored() throws Exception {
        try (Testbed.Device d = device("router")) {
            publishCert(d);
            watcher.accept(d.topic("reading"), HexFormat.of().parseHex("d28443a10127a0"));
            watcher.accept("ei/v1/lab/" + d.id + "/firmware", new byte[] {1});
            watcher.accept("other/thing", new byte[] {1});
            assertEquals(Problem.Kind.MALFORMED, onlyProblem(Problem.Kind.MALFORMED).kind());
            assertEquals(2, watcher.ignored());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
