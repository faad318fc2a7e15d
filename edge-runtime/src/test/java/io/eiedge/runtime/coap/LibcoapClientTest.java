package io.eiedge.runtime.coap;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.runtime.config.CoapConfig;
import io.eiedge.runtime.sync.PeerNetwork;
import io.eiedge.runtime.sync.TestSubnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libcoap's coap-client (Debian libcoap3-bin), an independent implementation, reads a runtime in plain-CoAP test mode. */
class LibcoapClientTest {
    @TempDir
    Path tmp;

    static String coapClient() {
        for (String name : List.of("coap-client", "coap-client-notls", "coap-client-openssl", "coap-client-gnutls")) {
            for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw new AssertionError("libcoap's coap-client is not installed (apt-get install libcoap3-bin)");
    }

    private static byte[] run(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(coapClient());
        cmd.addAll(List.of(args));
        cmd.add("-o");
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "coap-client hung");
        assertEquals(0, p.exitValue(), "coap-client " + args[args.length - 1] + ": " + log);
        return Files.readAllBytes(out);
    }

    @Test
    void coapClientReadsWellKnownCoreAndTheHead() throws Exception {
        try (TestSubnet subnet = TestSubnet.create(tmp.resolve("pki"), "sub-1")) {
            DeviceIdentity id = subnet.device("router-a", Role.ROUTER);
            Files.createDirectories(tmp.resolve("node"));
            try (PeerHeaderStore store = PeerHeaderStore.open(tmp.resolve("node/peers.db"));
                 Chain chain = Chain.open(tmp.resolve("node/chain"), new ChainIdentity(id.deviceId(), new Ed25519PrivateKey(id.seed()),
                         id.certificateDer()), BlockPolicy.DEFAULT, Retention.DEFAULT, store::drainWitnesses, InstantSource.system())) {
                chain.append(ReadingDraft.of("grid", System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                        Map.of("1-0:1.8.0", new ScaledValue(42, 3, "Wh")), Quality.GOOD));
                SignedHeader head = chain.seal();
                try (PeerNetwork net = PeerNetwork.start(new CoapConfig(0, true, List.of()), id, chain, store, id.validator(Clock.systemUTC()),
                        PeerNetwork.Sinks.none(), PeerNetwork.Options.defaults().withBind(new InetSocketAddress("127.0.0.1", 0)))) {
                    String base = "coap://127.0.0.1:" + net.address().getPort();
                    String core = new String(run(tmp.resolve("core.txt"), "-m", "get", base + "/.well-known/core"), StandardCharsets.UTF_8);
                    assertTrue(core.contains("</ledger/head>"), core);
                    assertTrue(core.matches("(?s).*</ledger/head>;[^,]*rt=\"eiedge.head\".*"), core);
                    assertTrue(core.matches("(?s).*</ledger/head>;[^,]*obs.*"), core);
                    assertTrue(core.contains("</ledger/headers>") && core.contains("</ledger/reading>") && core.contains("</id>")
                            && core.contains("</peers>") && core.contains("</crl>") && core.contains("</health>"), core);

                    byte[] got = run(tmp.resolve("head.cbor"), "-m", "get", "-A", "60", base + "/ledger/head");
                    assertArrayEquals(head.cose().encoded(), got, "the head as libcoap read it");
                    assertEquals(head.hash(), SignedHeader.decode(got).hash());

                    byte[] range = run(tmp.resolve("range.cbor"), "-m", "get", "-B", "30", base + "/ledger/headers?from=0&n=2");
                    assertEquals(2, Payloads.decodeByteStrings(range, 500, "range").size());

                    String health = new String(run(tmp.resolve("health.json"), "-m", "get", base + "/health"), StandardCharsets.UTF_8);
                    assertTrue(health.contains("\"height\":1"), health);
                }
            }
        }
        assertTrue(!Files.exists(Path.of("Californium3.properties")), "Californium wrote its properties file");
    }
}
