package io.eiedge.runtime.cli;

import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.node.EdgeNode;
import io.eiedge.runtime.node.NodeIdentity;
import io.eiedge.runtime.testsupport.FreePorts;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import io.eiedge.drivers.MeterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole upstream path as it runs in the field: identities made with the provisioning code
 * (keygen → CSR → registrar → install), a real mosquitto that requires client certificates, a
 * runtime publishing over TLS, and two independent receivers — {@code eiedge watch --check}
 * and {@code mosquitto_sub} — that must verify everything with nothing but the registrar root.
 */
class RunOverTlsTest {
    private static final char[] ROOT_PASS = "registrar passphrase".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aRuntimePublishesOverTlsAndWatchAndMosquittoSubVerifyEverything() throws Exception {
        Path regDir = Files.createDirectories(dir.resolve("registrar"));
        Registrar.init(regDir, "test registrar", ROOT_PASS, Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "test");
        Path routerId;
        Path aggregatorId;
        try (Registrar registrar = Registrar.open(regDir, Clock.systemUTC())) {
            routerId = IssuedIdentity.issue(registrar, ROOT_PASS, dir, "router-09", "sub-tls", "router");
            aggregatorId = IssuedIdentity.issue(registrar, ROOT_PASS, dir, "aggregator-01", "sub-tls", "exchange");
        }
        Path root = regDir.resolve(Registrar.ROOT_CERT);
        Path pki = Files.createDirectories(dir.resolve("broker-pki"));
        Files.writeString(pki.resolve("ext"), "subjectAltName=IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
        openssl(pki, "genpkey", "-algorithm", "ed25519", "-out", "broker.key");
        openssl(pki, "req", "-new", "-key", "broker.key", "-subj", "/CN=broker", "-out", "broker.csr");
        openssl(pki, "x509", "-req", "-in", "broker.csr", "-CA", root.toString(), "-CAkey", regDir.resolve(Registrar.ROOT_KEY).toString(),
                "-passin", "pass:" + new String(ROOT_PASS), "-set_serial", "77", "-days", "2", "-extfile", "ext", "-out", "broker.crt");

        try (Mosquitto broker = Mosquitto.tls(dir.resolve("mosquitto"), root, pki.resolve("broker.crt"), pki.resolve("broker.key")).start();
             MosquittoSub sub = MosquittoSub.tls(broker, "ei/v1/#", true, root, aggregatorId.resolve(IdentityStore.CERT),
                     aggregatorId.resolve(IdentityStore.KEY));
             MeterFactory meters = new MeterFactory(Clock.systemUTC(), dir.resolve("pulses"), () -> {
                 throw new IllegalStateException("no GPIO");
             })) {
            Path data = Files.createDirectories(dir.resolve("data"));
            Path config = dir.resolve("eiedge.yaml");
            Files.writeString(config, "device:\n  id: router-09\n  subnet: sub-tls\n  role: router\n"
                    + "identity:\n  dir: " + routerId + "\n"
                    + "meters:\n  - id: pv\n    type: simulated\n    kind: pv\n    seed: 3\n    peak-power: 5kW\n    poll-interval: 100ms\n"
                    + "  - id: grid\n    type: simulated\n    kind: load\n    seed: 4\n    peak-power: 3kW\n    poll-interval: 100ms\n"
                    + "ledger:\n  data-dir: " + data + "\n  block:\n    max-readings: 25\n    max-age: 2s\n"
                    + "mqtt:\n  broker: " + broker.url("ssl") + "\n  reconnect:\n    min: 100ms\n    max: 1s\n"
                    + "coap:\n  port: " + FreePorts.udp() + "\n");
            EiedgeConfig c = ConfigLoader.load(config);
            NodeIdentity identity = RunCommand.loadIdentity(c);

            StringWriter out = new StringWriter();
            CommandLine watch = new CommandLine(new EiedgeCli());
            watch.setOut(new PrintWriter(out, true));
            watch.setErr(new PrintWriter(new StringWriter(), true));
            int[] exit = {-1};
            Thread watcher = Thread.ofPlatform().start(() -> exit[0] = watch.execute("watch", "--broker", broker.url("ssl"),
                    "--root", root.toString(), "--cert", aggregatorId.resolve(IdentityStore.CERT).toString(),
                    "--key", aggregatorId.resolve(IdentityStore.KEY).toString(), "--check", "--seconds", "8"));
            TimeUnit.SECONDS.sleep(1);

            long last;
            try (EdgeNode node = EdgeNode.start(c, identity, meters, Clock.systemUTC())) {
                TimeUnit.SECONDS.sleep(5);
                assertTrue(node.quiesce(Duration.ofSeconds(10)), "the outbox drains over TLS");
                last = node.chain().nextSeq() - 1;
            }
            watcher.join(Duration.ofSeconds(30));
            assertEquals(0, exit[0], "eiedge watch --check:\n" + out);
            assertTrue(last >= 20, "readings were made: " + last);

            LedgerVerifier verifier = new LedgerVerifier(LedgerCommand.readCertificate(root), null, InstantSource.system());
            var trusted = verifier.trust(Files.readAllBytes(data.resolve("chain").resolve("certs").toFile().listFiles()[0].toPath()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Set<Long> seqs = new HashSet<>();
            while (seqs.size() < last && System.nanoTime() < deadline) {
                seqs.clear();
                for (MosquittoSub.Message m : new ArrayList<>(sub.received())) {
                    if (m.topic().endsWith("/router-09/reading")) {
                        SignedReading r = verifier.verifyReading(HexFormat.of().parseHex(m.payload()), trusted);
                        seqs.add(r.seq());
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertEquals(last, seqs.size(), "mosquitto_sub received every reading, each verifying: " + sub.stderrText());
            String certHex = HexFormat.of().formatHex(identity.certificateDer());
            assertTrue(sub.received().stream().anyMatch(m -> m.topic().endsWith("/router-09/cert") && m.payload().equals(certHex)),
                    "the device certificate is published for aggregators");
        }
    }

    private static void openssl(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + cmd + ":\n" + output);
        }
    }
}
