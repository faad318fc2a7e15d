package io.eiedge.runtime.sync;

import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import static io.eiedge.runtime.sync.ThreeNodeSyncTest.await;

/**
 * A neighbour that loses power and comes back: its process, DTLS sessions and Observe relations
 * are gone, its chain and peer store are not. Without anyone being told, the survivor must notice
 * and follow the restarted node again, and the restarted node must catch up on what it missed.
 */
class PeerRestartTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Closer open = new Closer();

    @Test
    void aRestartedPeerCatchesUpAndIsFollowedAgainOnBothPaths() throws Exception {
        TestSubnet subnet = open.keep(TestSubnet.create(tmp, "sub-r"));
        TestNode router = open.keep(TestNode.start(subnet.device("router-r", Role.ROUTER), tmp.resolve("r"), false));
        DeviceIdentity exchangeId = subnet.device("exchange-r", Role.EXCHANGE);
        TestNode exchange = TestNode.start(exchangeId, tmp.resolve("x"), false);
        int port = exchange.net.loopbackUri().getPort();
        router.block(3);
        exchange.block(2);
        router.peerWith(exchange);
        exchange.peerWith(router);
        await("both hold each other", () -> router.heightOf(exchange) == exchange.chain.head().height()
                && exchange.heightOf(router) == router.chain.head().height());

        exchange.close(); // the power goes: no goodbye reaches the router
        router.block(2);
        router.block(2);

        TestNode back = open.keep(TestNode.start(exchangeId, tmp.resolve("x"), false,
                o -> o.withBind(new InetSocketAddress("127.0.0.1", port))));
        back.peerWith(router); // as its configuration says at every start
        await("the restarted exchange catches up to router-r's " + router.chain.head().height(),
                () -> back.heightOf(router) == router.chain.head().height(), () -> back.net.peers().toString());

        // the router's old session and Observe relation died with the old process: it must notice by
        // itself — a range goes unanswered (30 s), so it handshakes again and registers anew
        back.block(1);
        await("router-r follows the restarted exchange to " + back.chain.head().height(),
                () -> router.heightOf(back) == back.chain.head().height(), () -> router.net.peers().toString(),
                Duration.ofSeconds(90));
        await("router-r no longer reports a problem with the exchange", () -> router.net.peers().stream()
                .anyMatch(p -> p.deviceId().equals("exchange-r") && p.lastProblem().isEmpty()), () -> router.net.peers().toString());
        router.block(1);
        await("the restarted exchange follows router-r to " + router.chain.head().height(),
                () -> back.heightOf(router) == router.chain.head().height(), () -> back.net.peers().toString());
    }
}
