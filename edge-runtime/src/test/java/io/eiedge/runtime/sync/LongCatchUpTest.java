package io.eiedge.runtime.sync;

import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.runtime.coap.LedgerView;
import io.eiedge.runtime.coap.Payloads;
import io.eiedge.runtime.config.CoapConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.eiedge.runtime.sync.ThreeNodeSyncTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catch-up longer than one range: several 500-header ranges are fetched and checked at once on
 * verifier threads, yet stored strictly in order — all of an honest chain, and nothing past the
 * first bad header of a dishonest one, even when later ranges were checked first.
 */
class LongCatchUpTest {
    /** Four full ranges and a partial one, so ranges beyond the head are asked for (and answered empty) too. */
    static final int BLOCKS = 2 * Payloads.MAX_HEADERS * 2 + 300;

    @TempDir
    Path tmp;
    @RegisterExtension
    final Closer open = new Closer();
    private TestSubnet subnet;
    private TestNode source;

    @BeforeEach
    void sourceWithALongChain() throws Exception {
        subnet = open.keep(TestSubnet.create(tmp, "sub-1"));
        source = open.keep(TestNode.start(subnet.device("router-a", Role.ROUTER), tmp.resolve("a"), false));
        for (int i = 0; i < BLOCKS; i++) {
            source.block(1);
        }
    }

    @Test
    void aFreshNodeTakesTheWholeChainInOrder() throws Exception {
        TestNode fresh = open.keep(TestNode.start(subnet.device("exchange-b", Role.EXCHANGE), tmp.resolve("b"), false));
        fresh.peerWith(source);
        await("exchange-b holds router-a up to " + BLOCKS, () -> fresh.heightOf(source) == BLOCKS,
                () -> fresh.store.state("router-a").toString());
        List<byte[]> served = source.chain.encodedHeaders(0, BLOCKS + 1);
        for (long h = 0; h <= BLOCKS; h += 97) {
            assertArrayEquals(served.get((int) h), fresh.store.headers("router-a", h, 1).get(0).cose().encoded(), "header " + h);
        }
        assertEquals(0, fresh.store.state("router-a").misbehaviour());
    }

    @Test
    void nothingPastAForgedHeaderIsStoredThoughLaterRangesWereCheckedFirst() throws Exception {
        int forged = 2 * Payloads.MAX_HEADERS + 234; // inside the third range
        List<byte[]> headers = new ArrayList<>(source.chain.encodedHeaders(0, BLOCKS + 1));
        byte[] bad = headers.get(forged).clone();
        bad[bad.length - 1] ^= 1; // the last byte of the COSE signature
        headers.set(forged, bad);
        // the same device serving its chain with one signature broken (a peer replaying damaged data)
        PeerHeaderStore liarStore = open.keep(PeerHeaderStore.open(tmp.resolve("liar-peers")));
        PeerNetwork liar = open.keep(PeerNetwork.start(new CoapConfig(0, false, List.of()), source.identity, LedgerView.of(headers), liarStore,
                source.identity.validator(Clock.systemUTC()), PeerNetwork.Sinks.none(),
                PeerNetwork.Options.defaults().withBind(new InetSocketAddress("127.0.0.1", 0)).withSyncInterval(Duration.ofMillis(300))
                        .withDiscovery(false)));

        TestNode fresh = open.keep(TestNode.start(subnet.device("exchange-b", Role.EXCHANGE), tmp.resolve("b"), false));
        fresh.net.addPeer(Optional.of("router-a"), liar.loopbackUri());
        await("the forged header is refused", () -> fresh.store.state("router-a").misbehaviour() > 0,
                () -> fresh.store.state("router-a").toString());
        Thread.sleep(1_000); // further rounds: they stop at the same header again
        assertEquals(forged - 1, fresh.heightOf(source), "stored up to the header before the forged one, no further");
        assertTrue(fresh.store.headers("router-a", forged, 10).isEmpty(), "nothing at or after the forged height");
        assertEquals(source.chain.headers(forged - 1, 1).get(0).hash(), fresh.store.tip("router-a").orElseThrow().hash());
    }
}
