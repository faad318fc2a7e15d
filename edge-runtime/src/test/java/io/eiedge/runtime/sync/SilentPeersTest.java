package io.eiedge.runtime.sync;

import io.eiedge.provisioning.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.eiedge.runtime.sync.ThreeNodeSyncTest.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Neighbours that were synced and then switched off. Each attempt to reach one holds a sync thread
 * until it times out; their rounds must not pile up, nor hold up what shares the sync threads: the
 * live peers, a newcomer's first sync, the exchange's balance after each of its blocks.
 */
class SilentPeersTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final Closer open = new Closer();

    @Test
    void neighboursThatWentSilentHoldUpNeitherTheLiveOnesNorTheBalance() throws Exception {
        TestSubnet subnet = open.keep(TestSubnet.create(tmp, "sub-s"));
        TestNode hub = open.keep(TestNode.start(subnet.device("exchange-s", Role.EXCHANGE), tmp.resolve("hub"), false));
        List<TestNode> silent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            TestNode n = open.keep(TestNode.start(subnet.device("router-" + i, Role.ROUTER), tmp.resolve("r" + i), false));
            n.block(1);
            hub.peerWith(n);
            silent.add(n);
        }
        for (TestNode n : silent) {
            await("the hub holds " + n.id(), () -> hub.heightOf(n) == n.chain.head().height(), () -> hub.net.peers().toString());
        }
        for (TestNode n : silent) {
            n.close(); // switched off: the hub is not told
        }
        // a round every 400 ms; each silent peer holds a thread for 10-30 s per request it does not answer
        Thread.sleep(3_000);
        for (int i = 0; i < 3; i++) {
            int before = hub.balances.size();
            hub.block(1);
            await("the hub publishes its balance after its block " + hub.chain.head().height(), () -> hub.balances.size() > before,
                    () -> hub.net.peers().toString(), Duration.ofSeconds(10));
        }
        TestNode newcomer = open.keep(TestNode.start(subnet.device("iface-s", Role.INTERFACE), tmp.resolve("new"), false));
        newcomer.block(2);
        hub.peerWith(newcomer);
        await("the hub syncs a newcomer", () -> hub.heightOf(newcomer) == newcomer.chain.head().height(),
                () -> hub.net.peers().toString(), Duration.ofSeconds(15));
        // a range has 30 s to arrive, and a round begun just before the switch-off may spend 20 s on /crl and /peers first
        await("every silent peer is reported as not answering", () -> hub.net.peers().stream()
                .filter(p -> p.deviceId().startsWith("router-") && p.lastProblem().map(m -> m.contains("no ")).orElse(false))
                .count() == 3, () -> hub.net.peers().toString(), Duration.ofSeconds(90));
        assertTrue(hub.net.peers().stream().anyMatch(p -> p.deviceId().equals("iface-s") && p.lastProblem().isEmpty()),
                hub.net.peers().toString());
    }
}
