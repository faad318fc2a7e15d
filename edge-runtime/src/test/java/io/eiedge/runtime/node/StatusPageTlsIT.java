package io.eiedge.runtime.node;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.runtime.config.WebConfig;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.testsupport.FreePorts;
import io.eiedge.runtime.testsupport.Mosquitto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code web.tls} with {@code web.require-client-cert}: the page is served over TLS with the device
 * certificate, to clients whose certificate the registrar root signed — nobody else.
 */
class StatusPageTlsIT {
    @TempDir
    Path dir;

    @Test
    void aRegistrarSignedClientGetsThePageAndAStrangersCertificateOrNoneIsRefused() throws Exception {
        TestDevices devices = new TestDevices(dir.resolve("ours"));
        var router = devices.issue("router-01", "router");
        var technician = devices.issue("interface-07", "interface");
        TestDevices strangers = new TestDevices(dir.resolve("strangers"));
        var stranger = strangers.issue("interface-07", "interface"); // same name, another registrar
        int port = FreePorts.tcp();
        WebConfig web = new WebConfig(Optional.of(new InetSocketAddress("127.0.0.1", port)), true, true, 8);
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             MeterFactory meters = TestDevices.meterFactory(dir)) {
            EdgeNode node = StatusPageIT.node(devices, router, broker, meters, web);
            try {
                assertTrue(node.webAddress().isPresent(), "the TLS listener is up");
                URI page = URI.create("https://127.0.0.1:" + port + "/");

                String html = get(page, client(technician.identity().device(), devices.root));
                assertTrue(html.contains("<title>eiedge status</title>"), html);
                String status = get(URI.create("https://127.0.0.1:" + port + "/api/status"), client(technician.identity().device(), devices.root));
                assertTrue(status.contains("\"device\":\"router-01\""), status);

                assertThrows(IOException.class, () -> get(page, client(stranger.identity().device(), devices.root)),
                        "a certificate from another registrar");
                SSLContext anonymous = SSLContext.getInstance("TLS");
                anonymous.init(null, trustOnly(devices.root), null);
                assertThrows(IOException.class, () -> get(page, anonymous), "no client certificate at all");
            } finally {
                node.close();
            }
        }
    }

    private static SSLContext client(DeviceIdentity d, X509Certificate root) throws Exception {
        return new TlsIdentity(d.privateKey(), List.of(d.certificate()), root).sslContext();
    }

    private static javax.net.ssl.TrustManager[] trustOnly(X509Certificate root) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    /**
     * GET over TLS, trusting only the registrar root; the server is checked by the device id in its
     * certificate (the registrar names devices, not addresses, so the host name cannot be matched).
     */
    private static String get(URI uri, SSLContext ctx) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection();
        c.setSSLSocketFactory(ctx.getSocketFactory());
        c.setHostnameVerifier((host, session) -> {
            try {
                return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName().contains("router-01");
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                return false;
            }
        });
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            assertEquals(200, c.getResponseCode());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
