package io.eiedge.runtime.sync;

import io.eiedge.provisioning.identity.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers found with no configuration, by CoAP multicast on the link. The group traffic must stay
 * off the real network, so the nodes run in a child JVM inside a network namespace of its own
 * ({@code unshare --map-root-user --net}) whose loopback carries the multicast route.
 */
class MulticastDiscoveryTest {
    @TempDir
    Path tmp;

    @Test
    void answersAreReadAsUntrustedInput() throws Exception {
        InetAddress host = InetAddress.getByName("192.0.2.7");
        String good = "</eiedge>;rt=\"eiedge.node\";id=\"router-a\";subnet=\"sub-1\";port=\"5684\"";
        List<MulticastDiscovery.Answer> a = MulticastDiscovery.answers(good, host, "coaps");
        assertEquals(List.of(new MulticastDiscovery.Answer("router-a", "sub-1", URI.create("coaps://192.0.2.7:5684"))), a);
        // another kind of node, a bad id, a port out of range, no subnet, garbage: all skipped
        for (String bad : List.of("</x>;rt=\"light\";id=\"a\";subnet=\"s\";port=\"1\"",
                "</eiedge>;rt=\"eiedge.node\";id=\"../etc\";subnet=\"sub-1\";port=\"5684\"",
                "</eiedge>;rt=\"eiedge.node\";id=\"router-a\";subnet=\"sub-1\";port=\"70000\"",
                "</eiedge>;rt=\"eiedge.node\";id=\"router-a\";port=\"5684\"", "\u0000<<;;\"", "")) {
            assertTrue(MulticastDiscovery.answers(bad, host, "coaps").isEmpty(), bad);
        }
        InetAddress v6 = InetAddress.getByName("fe80::1%1");
        assertEquals(URI.create("coaps://[fe80:0:0:0:0:0:0:1]:5684"), MulticastDiscovery.answers(good, v6, "coaps").get(0).uri());
    }

    @Test
    void threeNodesWithNoPeersConfiguredFindAndSyncEachOther() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of("unshare", "--map-root-user", "--net", "sh", "-c",
                "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && exec \"$0\" \"$@\"",
                java, "-cp", System.getProperty("java.class.path"), "-Dtinylog.configuration=tinylog-test.properties",
                Main.class.getName(), tmp.toString());
        Path log = tmp.resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = child.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the nodes did not find each other within 90 s:\n" + out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("ALL SYNCED"), out);
        // no peer was configured: every node found its first peers by a multicast answer (the rest
        // may come from those peers' /peers, whichever is first)
        for (String id : List.of("router-a", "exchange-b", "iface-c")) {
            assertTrue(out.lines().anyMatch(l -> l.contains("device " + id + ": found peer") && l.contains("by multicast")),
                    id + " found no peer by multicast:\n" + out);
        }
    }

    /** The child: three nodes of one subnet, no peers configured, multicast on; exits 0 once each holds the others' heads. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            int code;
            try (Closer open = new Closer()) {
                TestSubnet subnet = open.keep(TestSubnet.create(dir.resolve("registrar-home"), "sub-1"));
                List<TestNode> nodes = new ArrayList<>();
                for (String[] d : List.of(new String[]{"router-a", "ROUTER"}, new String[]{"exchange-b", "EXCHANGE"},
                        new String[]{"iface-c", "INTERFACE"})) {
                    TestNode n = open.keep(TestNode.start(subnet.device(d[0], Role.valueOf(d[1])), dir.resolve(d[0]), false,
                            o -> o.withMulticast(PeerNetwork.ALL_COAP_NODES)));
                    nodes.add(n);
                    n.block(2);
                }
                long end = System.currentTimeMillis() + 75_000;
                boolean all = false;
                while (!all && System.currentTimeMillis() < end) {
                    Thread.sleep(200);
                    all = nodes.stream().allMatch(n -> nodes.stream().allMatch(m -> m == n || n.heightOf(m) == m.chain.head().height()));
                }
                for (TestNode n : nodes) {
                    System.out.println(n.id() + " holds " + n.net.peers());
                }
                System.out.println(all ? "ALL SYNCED" : "NOT SYNCED");
                code = all ? 0 : 1;
            }
            System.exit(code);
        }
    }
}
