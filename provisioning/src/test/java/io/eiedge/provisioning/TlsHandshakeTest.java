package io.eiedge.provisioning;

import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.registrar.RevocationReason;
import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identity as loaded from disk works in a real JSSE mutual-TLS handshake on loopback (JDK key
 * and certificate objects), and the trust manager refuses a revoked peer.
 */
class TlsHandshakeTest {

    @TempDir
    Path tmp;

    @Test
    void mutualTlsWithLoadedIdentitiesAndRevocation() throws Exception {
        Pki pki = new Pki(tmp);
        DeviceIdentity router = provision(pki, "router", new DeviceName("router-07", "sub-3", Role.ROUTER));
        DeviceIdentity exchange = provision(pki, "exchange", new DeviceName("exchange-1", "sub-3", Role.EXCHANGE));

        AtomicReference<PeerCertificateValidator> serverTrust = new AtomicReference<>(router.validator(Clock.systemUTC()));
        SSLContext server = context(router, new PeerTrustManager(serverTrust::get));
        SSLContext client = context(exchange, new PeerTrustManager(() -> {
            try {
                return exchange.validator(Clock.systemUTC());
            } catch (ProvisioningException e) {
                throw new IllegalStateException(e);
            }
        }));

        String seen = handshake(server, client);
        assertTrue(seen.contains("CN=exchange-1") && seen.contains("OU=sub-3"), seen);

        try (Registrar r = pki.registrar()) {
            Registrar.Revocation rev = r.revoke("exchange-1", Optional.empty(), RevocationReason.KEY_COMPROMISE, Pki.ROOT,
                    Duration.ofDays(7), "t");
            serverTrust.set(serverTrust.get().withCrl(rev.crl()));
        }
        Exception e = assertThrows(Exception.class, () -> handshake(server, client));
        Throwable t = e;
        StringBuilder all = new StringBuilder();
        java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            t = todo.pop();
            all.append(t).append(" / ");
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        assertTrue(all.toString().toLowerCase(java.util.Locale.ROOT).contains("revoked"),
                "the server refuses the client because it is revoked: " + all);
    }

    private DeviceIdentity provision(Pki pki, String dir, DeviceName name) throws Exception {
        IdentityStore store = pki.device(dir);
        Path cert = pki.sign(pki.request(store, name), dir + ".pem");
        store.install(cert, pki.rootFile(), Optional.empty(), PassphraseSource.none());
        return store.load(PassphraseSource.none());
    }

    private static SSLContext context(DeviceIdentity id, TrustManager tm) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", id.privateKey(), new char[0], new Certificate[] {id.certificate(), id.root()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {tm}, null);
        return ctx;
    }

    /** One handshake on loopback; returns the client certificate subject the server saw. */
    private static String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
                c.startHandshake();
                c.getInputStream().read(); // TLS 1.3: the server's verdict on our certificate arrives after the handshake
            } catch (Exception clientSide) {
                // what the client sees of a refusal depends on timing (alert, reset, broken pipe);
                // the server side says why, so carry its reason along
                try {
                    seen.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException serverSide) {
                    clientSide.addSuppressed(serverSide.getCause());
                }
                throw clientSide;
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }
}
