package io.eiedge.runtime.sync;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.peers.Equivocation;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.runtime.coap.Payloads;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.eiedge.runtime.sync.ThreeNodeSyncTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A malicious peer with a valid certificate pushes forged signatures, broken links, oversize and
 * misattributed headers, a rewritten past and an equivocating pair: each is refused or caught, and
 * the honest nodes keep running and agree.
 */
class MaliciousPeerTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Closer open = new Closer();

    /** Mallory's own chain, built by hand so it can lie. */
    private static final class Forger {
        final String id;
        final Ed25519PrivateKey key;
        final Hash32 certHash;

        Forger(DeviceIdentity identity) {
            id = identity.deviceId();
            key = new Ed25519PrivateKey(identity.seed());
            certHash = Hash32.sha256(identity.certificateDer());
        }

        SignedHeader genesis() {
            return SignedHeader.sign(new Header(id, 0, Hash32.ZERO, MerkleTree.root(List.of()), 1, 0, 1_000, Collections.emptySortedMap(),
                    List.of(), certHash), key);
        }

        SignedHeader next(SignedHeader prev, long count, long time) {
            return SignedHeader.sign(new Header(id, prev.height() + 1, prev.hash(), Hash32.sha256(("block " + time).getBytes()),
                    prev.header().nextSeq(), count, time, Collections.emptySortedMap(), List.of(), certHash), key);
        }

        SignedHeader as(String otherId, SignedHeader template) {
            Header h = template.header();
            return SignedHeader.sign(new Header(otherId, h.height(), h.prevHash(), h.merkleRoot(), h.firstSeq(), h.count(),
                    h.sealedAtMs(), h.summary(), h.witnesses(), h.certHash()), key);
        }
    }

    private static byte[] push(SignedHeader... headers) {
        List<byte[]> l = new ArrayList<>();
        for (SignedHeader h : headers) {
            l.add(h.cose().encoded());
        }
        return Payloads.byteStrings(l);
    }

    private static byte[] forgedSignature(SignedHeader h) {
        byte[] b = h.cose().encoded();
        b[b.length - 1] ^= 0x01; // last byte of the Ed25519 signature
        return b;
    }

    @Test
    void forgeriesAreRefusedEquivocationIsCaughtHonestNodesAgree() throws Exception {
        TestSubnet subnet = open.keep(TestSubnet.create(tmp, "sub-1"));
        TestNode a = open.keep(TestNode.start(subnet.device("router-a", Role.ROUTER), tmp.resolve("a"), false));
        TestNode b = open.keep(TestNode.start(subnet.device("exchange-b", Role.EXCHANGE), tmp.resolve("b"), false));
        a.peerWith(b);
        b.peerWith(a);
        a.block(3);
        b.block(2);
        DeviceIdentity malloryId = subnet.device("iface-m", Role.INTERFACE);
        Forger m = new Forger(malloryId);
        HarnessClient mallory = open.keep(new HarnessClient(malloryId));
        URI aHeaders = a.net.loopbackUri().resolve("/ledger/headers");
        URI bHeaders = b.net.loopbackUri().resolve("/ledger/headers");

        SignedHeader g = m.genesis();
        // 1. forged signature
        CoapResponse r = mallory.post(aHeaders, Payloads.byteStrings(List.of(forgedSignature(g))));
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("SIGNATURE"), r.getResponseText());
        assertEquals(-1, a.store.state("iface-m").verifiedHeight());
        assertEquals(1, a.store.state("iface-m").misbehaviour());

        // the honest start of its chain is taken
        SignedHeader h1 = m.next(g, 4, 2_000);
        r = mallory.post(aHeaders, push(g, h1));
        assertEquals(ResponseCode.CHANGED, r.getCode(), r.getResponseText());
        assertEquals(1, a.store.state("iface-m").verifiedHeight());

        // 2. broken link: validly signed, but pointing at a header that is not its predecessor
        SignedHeader orphan = SignedHeader.sign(new Header("iface-m", 2, Hash32.sha256("nothing".getBytes()), Hash32.ZERO, 5, 1, 3_000,
                Collections.emptySortedMap(), List.of(), m.certHash), m.key);
        r = mallory.post(aHeaders, push(orphan));
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("LINK"), r.getResponseText());
        // seq that does not continue
        SignedHeader seqJump = SignedHeader.sign(new Header("iface-m", 2, h1.hash(), Hash32.ZERO, 99, 1, 3_000,
                Collections.emptySortedMap(), List.of(), m.certHash), m.key);
        r = mallory.post(aHeaders, push(seqJump));
        assertTrue(r.getResponseText().contains("seq"), r.getResponseText());

        // 3. misattributed: mallory's key, exchange-b's name
        r = mallory.post(aHeaders, push(m.as("exchange-b", m.next(h1, 1, 3_000))));
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("IDENTITY"), r.getResponseText());

        // 4. oversize: a header stuffed past 16 KiB
        var fat = new java.util.TreeMap<String, io.eiedge.ledger.model.ScaledValue>();
        for (int i = 0; i < 700; i++) {
            fat.put("meter" + i + "/1-0:1.8.0", new io.eiedge.ledger.model.ScaledValue(i, 0, "Wh"));
        }
        SignedHeader big = SignedHeader.sign(new Header("iface-m", 2, h1.hash(), Hash32.ZERO, 5, 1, 3_000, fat, List.of(), m.certHash), m.key);
        r = mallory.post(aHeaders, push(big));
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("at most 16384"), r.getResponseText());

        // 5. replay of something already held: nothing changes
        r = mallory.post(aHeaders, push(h1));
        assertEquals(ResponseCode.CHANGED, r.getCode());
        assertTrue(r.getResponseText().contains("1 already held"), r.getResponseText());
        // stale/early: a gap is refused without being counted
        long counted = a.store.state("iface-m").misbehaviour();
        SignedHeader h2 = m.next(h1, 2, 3_000);
        SignedHeader h3 = m.next(h2, 2, 4_000);
        r = mallory.post(aHeaders, push(h3));
        assertEquals(ResponseCode.CONFLICT, r.getCode());
        assertTrue(r.getResponseText().contains("gap"), r.getResponseText());
        assertEquals(counted, a.store.state("iface-m").misbehaviour());
        assertEquals(1, a.store.state("iface-m").verifiedHeight(), "nothing bad was stored");

        // 6. a rewritten past: a second, validly signed history for height 1 → equivocation on a
        SignedHeader rewritten = m.next(g, 7, 2_500);
        r = mallory.post(aHeaders, push(rewritten));
        assertEquals(ResponseCode.CONFLICT, r.getCode());
        assertTrue(r.getResponseText().contains("equivocation"), r.getResponseText());
        assertEquals(1, a.alerts.size());
        Equivocation ev = Equivocation.decode(a.alerts.get(0));
        assertEquals("iface-m", ev.deviceId());
        assertEquals(1, ev.height());
        assertTrue(a.store.state("iface-m").frozen());
        r = mallory.post(aHeaders, push(h2));
        assertEquals(ResponseCode.FORBIDDEN, r.getCode(), "a frozen peer's chain is no longer accepted");
        await("a shows iface-m frozen in /peers", () -> a.net.peers().stream()
                .anyMatch(p -> p.deviceId().equals("iface-m") && p.state().equals("frozen") && p.misbehaviour() >= 6));

        // 7. an equivocating pair in one push to b
        SignedHeader pairA = m.next(g, 1, 5_000);
        SignedHeader pairB = m.next(g, 2, 5_000);
        r = mallory.post(bHeaders, push(g, pairA, pairB));
        assertEquals(ResponseCode.CONFLICT, r.getCode());
        assertEquals(1, b.alerts.size());
        assertEquals(1, Equivocation.decode(b.alerts.get(0)).height());

        // 8. garbage that is not even CBOR
        r = mallory.post(aHeaders, new byte[] {(byte) 0xff, 0x00, 0x13});
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());

        // the honest nodes keep running and agree
        a.block(2);
        b.block(1);
        await("b follows a", () -> b.heightOf(a) == a.chain.head().height());
        await("a follows b", () -> a.heightOf(b) == b.chain.head().height());
        assertEquals(a.chain.head().hash(), b.store.tip("router-a").orElseThrow().hash());
        assertEquals(b.chain.head().hash(), a.store.tip("exchange-b").orElseThrow().hash());
        assertEquals(0, a.store.state("exchange-b").misbehaviour());
        assertEquals(0, b.store.state("router-a").misbehaviour());
    }
}
