package io.eiedge.runtime.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.testsupport.Mosquitto;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch client over TLS against a real mosquitto that requires client certificates: the
 * broker's certificate is signed by the registrar root (with openssl, from the registrar's own
 * encrypted root key), device and aggregator certificates are issued by the provisioning code.
 */
class WatchTlsTest {
    @TempDir
    static Path dir;
    static Testbed bed;
    static Mosquitto broker;
    static Testbed.Device device;
    static Testbed.Device aggregator;

    @BeforeAll
    static void start() throws Exception {
        bed = new Testbed(dir.resolve("bed"));
        device = bed.device("router-07", "lab", "router");
        aggregator = bed.device("aggregator-01", "lab", "router");
        Path b = Files.createDirectories(dir.resolve("broker-pki"));
        Files.writeString(b.resolve("ext"), "subjectAltName=IP:127.0.0.1\nkeyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=serverAuth\n");
        Path rootKey = bed.rootFile().resolveSibling("root-key.pem");
        openssl(b, "genpkey", "-algorithm", "ed25519", "-out", "broker.key");
        openssl(b, "req", "-new", "-key", "broker.key", "-subj", "/CN=broker", "-out", "broker.csr");
        openssl(b, "x509", "-req", "-in", "broker.csr", "-CA", bed.rootFile().toString(), "-CAkey", rootKey.toString(),
                "-passin", "pass:" + new String(Testbed.ROOT_PASS), "-set_serial", "4242", "-days", "2",
                "-extfile", "ext", "-out", "broker.crt");
        broker = Mosquitto.tls(dir.resolve("mosquitto"), bed.rootFile(), b.resolve("broker.crt"), b.resolve("broker.key")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
        if (device != null) device.close();
        if (aggregator != null) aggregator.close();
    }

    private static TlsIdentity identity(Testbed.Device d) throws Exception {
        Path store = dir.resolve("bed").resolve("identity-" + d.id);
        return TlsIdentity.fromPemFiles(store.resolve(IdentityStore.KEY), store.resolve(IdentityStore.CERT), bed.rootFile());
    }

    @Test
    void aWatcherWithAClientCertificateVerifiesADevicesTrafficOverTls() throws Exception {
        Watcher watcher = new Watcher(bed.root, Optional.empty(), "ei/v1", InstantSource.system(), e -> { }, 100);
        try (WatchClient client = new WatchClient(URI.create(broker.url("ssl")), "ei/v1", bed.root,
                Optional.of(identity(aggregator)), false, watcher::accept)) {
            client.start();
            MqttClient pub = new MqttClient(broker.url("ssl"), "router-07", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setSocketFactory(identity(device).socketFactory());
            pub.connect(o);
            publish(pub, device.topic("cert"), device.certDer, true);
            publish(pub, device.topic("header"), device.headers.get(0).cose().encoded(), true);
            for (SignedReading r : device.read(8)) publish(pub, device.topic("reading"), r.cose().encoded(), false);
            for (int i = 1; i < device.headers.size(); i++) publish(pub, device.topic("header"), device.headers.get(i).cose().encoded(), true);
            pub.disconnect();
            pub.close();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (watcher.verdict().blocksVerified() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            Verdict v = watcher.verdict();
            assertTrue(v.clean(), v.problems().toString());
            assertEquals(8, v.readingsVerified());
            assertEquals(2, v.blocksVerified());
        }
    }

    @Test
    void withoutAClientCertificateTheBrokerRefusesTheWatcher() throws Exception {
        Watcher watcher = new Watcher(bed.root, Optional.empty(), InstantSource.system());
        try (WatchClient client = new WatchClient(URI.create(broker.url("ssl")), "ei/v1", bed.root, Optional.empty(),
                false, watcher::accept)) {
            IOException e = assertThrows(IOException.class, client::start);
            assertTrue(e.getMessage().contains("cannot connect to " + broker.url("ssl")), e.getMessage());
        }
    }

    private static void publish(MqttClient c, String topic, byte[] payload, boolean retained) throws Exception {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        c.publish(topic, m);
    }

    private static void openssl(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("openssl " + cmd + ":\n" + out);
    }
}
