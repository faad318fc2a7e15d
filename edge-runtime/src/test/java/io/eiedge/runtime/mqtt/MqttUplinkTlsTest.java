package io.eiedge.runtime.mqtt;

import static io.eiedge.runtime.mqtt.UplinkFixtures.DEVICE;
import static io.eiedge.runtime.mqtt.UplinkFixtures.mqtt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import io.eiedge.runtime.testsupport.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink against a real mosquitto that requires client certificates from the registrar root. */
class MqttUplinkTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Leaf device;
    static TestPki.Leaf aggregator;
    static Mosquitto broker;

    @BeforeAll
    static void brokerWithClientCertificates() throws Exception {
        pki = TestPki.create(dir.resolve("pki"), "registrar");
        TestPki.Leaf brokerLeaf = pki.broker();
        device = pki.device("router-07", "lab", "router");
        aggregator = pki.device("aggregator-01", "lab", "router");
        broker = Mosquitto.tls(dir.resolve("broker"), pki.rootCertificate(), brokerLeaf.certificate(), brokerLeaf.key())
                .start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    private MqttUplink uplink(TlsIdentity identity, String dataDir) throws Exception {
        return new MqttUplink(DEVICE, mqtt(broker.url("ssl"), false), Optional.of(identity),
                SessionCounter.open(dir.resolve(dataDir)), () -> new ChainPosition(41, 3), Clock.systemUTC());
    }

    @Test
    void connectsWithTheDeviceCertificateAndPublishesStateCertAndReadings() throws Exception {
        TlsIdentity identity = TlsIdentity.fromPemFiles(device.key(), device.certificate(), pki.rootCertificate());
        try (MosquittoSub sub = MosquittoSub.tls(broker, "ei/v1/lab/router-07/#", false, pki.rootCertificate(),
                aggregator.certificate(), aggregator.key());
             MosquittoSub certSub = MosquittoSub.tls(broker, "ei/v1/lab/router-07/cert", true, pki.rootCertificate(),
                     aggregator.certificate(), aggregator.key());
             MqttUplink uplink = uplink(identity, "data-ok")) {
            UplinkFixtures.Events events = new UplinkFixtures.Events();
            uplink.addListener(events);
            uplink.start();
            assertEquals("up 1", events.next(WAIT));
            assertTrue(uplink.isConnected());

            // (another test's retained offline state of this device may come first)
            MosquittoSub.Message state = sub.await(m -> m.topic().endsWith("/state")
                    && m.payload().contains("\"online\""), WAIT);
            assertTrue(state.payload().startsWith("{\"state\":\"online\",\"session\":1,\"seq\":41,\"height\":3,\"time\":"),
                    state.payload());

            MosquittoSub.Message cert = certSub.await(m -> true, WAIT);
            assertEquals(HexFormat.of().formatHex(identity.certificateDer()), cert.payload());

            uplink.publish(uplink.topics().reading(), "signed-reading".getBytes(StandardCharsets.UTF_8), false)
                    .get(10, TimeUnit.SECONDS);
            MosquittoSub.Message reading = sub.await(m -> m.topic().endsWith("/reading"), WAIT);
            assertEquals("signed-reading", reading.payload());
            assertFalse(reading.retained());
        }
        // a later subscriber finds the retained certificate, and the clean shutdown's offline state
        try (MosquittoSub late = MosquittoSub.tls(broker, "ei/v1/lab/router-07/state", false, pki.rootCertificate(),
                aggregator.certificate(), aggregator.key())) {
            MosquittoSub.Message retained = late.await(m -> true, WAIT);
            assertTrue(retained.retained());
            assertTrue(retained.payload().startsWith(UplinkFixtures.state(false, 1)), retained.payload());
        }
    }

    @Test
    void keyAndCertificateObjectsFromBouncyCastleStillPresentTheClientCertificate() throws Exception {
        // what the provisioning code may hand over: BC provider objects, which JSSE would silently not send
        var bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        TlsIdentity pem = TlsIdentity.fromPemFiles(device.key(), device.certificate(), pki.rootCertificate());
        java.security.PrivateKey bcKey = java.security.KeyFactory.getInstance("Ed25519", bc)
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pem.key().getEncoded()));
        java.security.cert.CertificateFactory bcCerts = java.security.cert.CertificateFactory.getInstance("X.509", bc);
        var bcCert = (java.security.cert.X509Certificate) bcCerts.generateCertificate(
                new java.io.ByteArrayInputStream(pem.certificateDer()));
        var bcRoot = (java.security.cert.X509Certificate) bcCerts.generateCertificate(
                new java.io.ByteArrayInputStream(pem.registrarRoot().getEncoded()));
        assertEquals("BC", bcKey.getClass().getName().contains("bouncycastle") ? "BC" : bcKey.getClass().getName());
        TlsIdentity identity = new TlsIdentity(bcKey, java.util.List.of(bcCert), bcRoot);
        try (MqttUplink uplink = uplink(identity, "data-bc")) {
            UplinkFixtures.Events events = new UplinkFixtures.Events();
            uplink.addListener(events);
            uplink.start();
            assertEquals("up 1", events.next(WAIT));
        }
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTheBroker() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TlsIdentity.fromPemFiles(device.key(), device.certificate(),
                pki.rootCertificate()).registrarRoot());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null); // no key managers: no client certificate
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(ctx.getSocketFactory());
        options.setConnectionTimeout(5);
        MqttAsyncClient client = new MqttAsyncClient(broker.url("ssl"), "no-cert", new MemoryPersistence());
        try {
            assertThrows(MqttException.class, () -> client.connect(options).waitForCompletion(10_000));
            assertFalse(client.isConnected());
        } finally {
            client.close(true);
        }
    }

    @Test
    void aDeviceCertificateFromAnotherRootIsRefused() throws Exception {
        TestPki rogue = TestPki.create(dir.resolve("rogue"), "rogue");
        TestPki.Leaf rogueDevice = rogue.device("router-07", "lab", "router");
        // trusts the right root for the broker, but presents a certificate the broker cannot chain
        TlsIdentity identity = TlsIdentity.fromPemFiles(rogueDevice.key(), rogueDevice.certificate(),
                pki.rootCertificate());
        try (MqttUplink uplink = uplink(identity, "data-rogue")) {
            uplink.start();
            waitForFailure(uplink);
            assertFalse(uplink.isConnected());
        }
    }

    @Test
    void aBrokerNotCertifiedByTheRegistrarRootIsNotTrusted() throws Exception {
        TestPki other = TestPki.create(dir.resolve("other"), "other");
        TlsIdentity identity = TlsIdentity.fromPemFiles(device.key(), device.certificate(), other.rootCertificate());
        try (MqttUplink uplink = uplink(identity, "data-other")) {
            uplink.start();
            waitForFailure(uplink);
            assertFalse(uplink.isConnected());
            assertTrue(uplink.session() >= 1);
        }
    }

    private static void waitForFailure(MqttUplink uplink) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (uplink.lastFailure().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(uplink.lastFailure().isPresent(), "the connect attempt should have failed");
    }
}
