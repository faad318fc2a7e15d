package io.eiedge.runtime.sync;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.Ed25519PublicKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.InclusionProof;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.runtime.balance.SubnetBalance;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three runtimes over DTLS on loopback sync each other from empty and keep up; outsiders are refused at the handshake. */
class ThreeNodeSyncTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Closer open = new Closer();

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> "");
    }

    static void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        await(what, condition, state, java.time.Duration.ofSeconds(30));
    }

    static void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> state, java.time.Duration timeout)
            throws InterruptedException {
        long end = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting until " + what + " " + state.get());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void threeNodesSyncFromEmptyKeepUpWitnessAndBalance() throws Exception {
        TestSubnet subnet = open.keep(TestSubnet.create(tmp, "sub-1"));
        TestNode router = open.keep(TestNode.start(subnet.device("router-a", Role.ROUTER), tmp.resolve("a"), false));
        TestNode exchange = open.keep(TestNode.start(subnet.device("exchange-b", Role.EXCHANGE), tmp.resolve("b"), false));
        TestNode iface = open.keep(TestNode.start(subnet.device("iface-c", Role.INTERFACE), tmp.resolve("c"), false));
        List<TestNode> all = List.of(router, exchange, iface);
        // history before anyone talks: the sync starts from empty
        for (int i = 0; i < 3; i++) {
            router.block(4);
            iface.block(2);
        }
        exchange.block(3);
        for (TestNode n : all) {
            for (TestNode m : all) {
                if (n != m) {
                    n.peerWith(m);
                }
            }
        }
        for (TestNode n : all) {
            for (TestNode m : all) {
                if (n != m) {
                    await(n.id() + " holds " + m.id() + " up to " + m.chain.head().height(),
                            () -> n.heightOf(m) == m.chain.head().height());
                }
            }
        }
        // keep up: new blocks reach the others by Observe (or the next round)
        for (int i = 0; i < 3; i++) {
            router.block(1);
            iface.block(1);
        }
        for (TestNode n : List.of(exchange, iface)) {
            await(n.id() + " follows router-a to " + router.chain.head().height(), () -> n.heightOf(router) == router.chain.head().height());
        }
        await("router-a follows iface-c", () -> router.heightOf(iface) == iface.chain.head().height());
        assertTrue(router.net.peers().stream().anyMatch(p -> p.deviceId().equals("exchange-b")
                && List.of("following", "synced").contains(p.state())), router.net.peers().toString());

        // witnesses: the router's next block lists the newest headers it verified of both peers
        SignedHeader witnessed = router.block(1);
        List<String> witnessedIds = witnessed.header().witnesses().stream().map(Witness::deviceId).toList();
        assertTrue(witnessedIds.contains("iface-c"), "witnesses " + witnessedIds);
        for (Witness w : witnessed.header().witnesses()) {
            TestNode of = all.stream().filter(n -> n.id().equals(w.deviceId())).findFirst().orElseThrow();
            assertEquals(of.chain.headers(w.height(), 1).get(0).hash(), w.headerHash(), "witness of " + w.deviceId());
        }

        // the exchange's signed subnet balance after its own block sums every device's newest header
        await("exchange-b holds router-a's newest", () -> exchange.heightOf(router) == router.chain.head().height());
        await("exchange-b holds iface-c's newest", () -> exchange.heightOf(iface) == iface.chain.head().height());
        SignedHeader own = exchange.block(2);
        await("a balance is published", () -> !exchange.balances.isEmpty()
                && decodeBalance(exchange).sources().stream().anyMatch(w -> w.deviceId().equals("exchange-b") && w.height() == own.height()));
        CoseSign1 signed = CoseSign1.decode(exchange.balances.get(exchange.balances.size() - 1));
        signed.verify(Ed25519PublicKey.fromSpki(exchange.identity.certificate().getPublicKey().getEncoded()));
        SubnetBalance balance = SubnetBalance.decode(signed.payload());
        assertEquals("sub-1", balance.subnet());
        assertEquals(3, balance.sources().size());
        long expectedTenthsWh = 0;
        for (Witness w : balance.sources()) {
            TestNode of = all.stream().filter(n -> n.id().equals(w.deviceId())).findFirst().orElseThrow();
            SignedHeader h = of.chain.headers(w.height(), 1).get(0);
            assertEquals(h.hash(), w.headerHash());
            expectedTenthsWh += h.header().summary().get("grid/1-0:1.8.0").mantissa();
        }
        assertEquals(new ScaledValue(expectedTenthsWh, -1, "Wh"), balance.totals().get("1-0:1.8.0"));
        assertFalse(router.balances.size() > 0, "only the exchange role publishes balances");

        // serving proofs: one reading, its inclusion proof and header, checkable with the header alone
        try (HarnessClient reader = new HarnessClient(subnet.device("reader-r", Role.ROUTER))) {
            CoapResponse r = reader.get(router.net.loopbackUri().resolve("/ledger/reading?seq=5"));
            assertEquals(ResponseCode.CONTENT, r.getCode());
            CBORObject triple = Cbor.decodeCanonical(r.getPayload(), "reading triple");
            SignedReading reading = SignedReading.decode(triple.get(0).GetByteString());
            InclusionProof proof = InclusionProof.fromCbor(triple.get(1));
            SignedHeader header = SignedHeader.decode(triple.get(2).GetByteString());
            assertEquals(5, reading.seq());
            assertEquals(router.store.headers("x", 0, 1).size(), 0);
            LedgerVerifier.verifyInclusion(reading, proof, header);
            assertEquals(exchange.store.headers("router-a", header.height(), 1).get(0).hash(), header.hash(),
                    "a peer's synced header proves the reading");
            CoapResponse unknown = reader.get(router.net.loopbackUri().resolve("/ledger/reading?seq=999999"));
            assertEquals(ResponseCode.NOT_FOUND, unknown.getCode());
            assertTrue(unknown.getResponseText().startsWith("unknown"), unknown.getResponseText());
            router.chain.append(io.eiedge.ledger.chain.ReadingDraft.of("grid", System.currentTimeMillis(),
                    io.eiedge.ledger.model.ClockStatus.SYNCHRONISED, java.util.Map.of(), io.eiedge.ledger.model.Quality.TIMEOUT));
            CoapResponse unsealed = reader.get(router.net.loopbackUri().resolve("/ledger/reading?seq=" + (router.chain.nextSeq() - 1)));
            assertTrue(unsealed.getResponseText().startsWith("unsealed"), unsealed.getResponseText());
            CoapResponse bad = reader.get(router.net.loopbackUri().resolve("/ledger/headers?from=0&n=501"));
            assertEquals(ResponseCode.BAD_REQUEST, bad.getCode());
            assertTrue(bad.getResponseText().contains("n=501"), bad.getResponseText());
            CoapResponse range = reader.get(router.net.loopbackUri().resolve("/ledger/headers?from=1&n=3"));
            assertEquals(3, io.eiedge.runtime.coap.Payloads.decodeByteStrings(range.getPayload(), 500, "range").size());
        }
        assertFalse(Files.exists(Path.of("Californium3.properties")), "Californium wrote its properties file");
    }

    private static SubnetBalance decodeBalance(TestNode exchange) {
        try {
            return SubnetBalance.decode(CoseSign1.decode(exchange.balances.get(exchange.balances.size() - 1)).payload());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownRootAndRevokedPeersAreRefusedAtTheHandshake() throws Exception {
        TestSubnet subnet = open.keep(TestSubnet.create(tmp.resolve("ours"), "sub-1"));
        TestSubnet rogue = open.keep(TestSubnet.create(tmp.resolve("rogue"), "sub-1"));
        TestNode a = open.keep(TestNode.start(subnet.device("router-a", Role.ROUTER), tmp.resolve("a"), false));
        TestNode b = open.keep(TestNode.start(subnet.device("exchange-b", Role.EXCHANGE), tmp.resolve("b"), false));
        a.block(2);
        b.block(2);
        a.peerWith(b);
        b.peerWith(a);
        await("a and b in sync", () -> a.heightOf(b) == 1 && b.heightOf(a) == 1, () -> a.net.peers() + " / " + b.net.peers());

        // a fourth runtime whose certificate comes from another root
        TestNode outsider = open.keep(TestNode.start(rogue.device("iface-x", Role.INTERFACE), tmp.resolve("x"), false));
        outsider.peerWith(a);
        // both ends refuse: the outsider does not trust a's root, a does not trust the outsider's
        await("the handshake between a and the outsider fails", () -> outsider.net.refusedHandshakes() > 0);
        assertEquals(-1, outsider.heightOf(a), "the outsider got no header of a");
        assertEquals(-1, a.heightOf(outsider), "a took nothing of the outsider");
        // a client with a foreign certificate that does trust a's root: a itself refuses it
        try (HarnessClient stranger = new HarnessClient(rogue.device("router-y", Role.ROUTER), a.identity.validator(java.time.Clock.systemUTC()))) {
            String alert = stranger.handshakeFailure(a.net.loopbackUri().resolve("/id"));
            assertTrue(alert.contains("UNKNOWN_CA"), alert);
        }
        assertTrue(a.net.refusedHandshakes() > 0, "a counted the refused handshake");

        // a device of our registrar, revoked: the CRL reaches a (file/MQTT/CoAP all end in Revocation.offer)
        DeviceIdentity dId = subnet.device("iface-d", Role.INTERFACE);
        TestNode d = open.keep(TestNode.start(dId, tmp.resolve("d"), false));
        d.block(1);
        a.peerWith(d);
        await("a syncs d while it is valid", () -> a.heightOf(d) == 1);
        var crl = subnet.revoke("iface-d");
        long refusedBefore = a.net.refusedHandshakes();
        assertTrue(a.net.revocation().offer(crl.getEncoded(), "test").applied());
        await("a lists iface-d as revoked", () -> a.net.peers().stream().anyMatch(p -> p.deviceId().equals("iface-d") && p.state().equals("revoked")));
        d.block(1);
        d.peerWith(a);
        await("d's new handshake is refused", () -> a.net.refusedHandshakes() > refusedBefore);
        Thread.sleep(1_000);
        assertEquals(1, a.heightOf(d), "nothing of a revoked peer is accepted after the CRL");
        try (HarnessClient revoked = new HarnessClient(dId)) {
            String alert = revoked.handshakeFailure(a.net.loopbackUri().resolve("/id"));
            assertTrue(alert.contains("CERTIFICATE_REVOKED"), alert);
        }
        // b learns the CRL from a's /crl over CoAP
        await("b fetched the CRL from a", () -> b.net.revocation().crlDer().isPresent());
        // an old CRL does not un-revoke: a replay of an earlier list is refused
        assertFalse(a.net.revocation().offer(crl.getEncoded(), "replay").applied());
        // the honest pair keeps syncing
        a.block(1);
        await("b keeps following a", () -> b.heightOf(a) == 2);
        assertTrue(Optional.ofNullable(a.net.peers()).isPresent());
        assertNotNull(URI.create("coaps://127.0.0.1:1"));
    }
}
