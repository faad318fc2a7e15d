package io.eiedge.runtime.sync;

import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.IssuedCertificate;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.registrar.RevocationReason;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** A real registrar (provisioning's) issuing real device identities through the technician flow. */
public final class TestSubnet implements AutoCloseable {
    private static final char[] ROOT_PASS = "registrar passphrase".toCharArray();
    private final Path dir;
    private final String subnet;
    private final Registrar registrar;

    private TestSubnet(Path dir, String subnet, Registrar registrar) {
        this.dir = dir;
        this.subnet = subnet;
        this.registrar = registrar;
    }

    public static TestSubnet create(Path dir, String subnet) throws Exception {
        Registrar.init(dir.resolve("registrar"), subnet + " registrar", ROOT_PASS, Duration.ofDays(30), Clock.systemUTC(), "test");
        return new TestSubnet(dir, subnet, Registrar.open(dir.resolve("registrar"), Clock.systemUTC()));
    }

    public String subnet() {
        return subnet;
    }

    public Registrar registrar() {
        return registrar;
    }

    /** Keygen on the "device", CSR, sign by the registrar, install, load. */
    public DeviceIdentity device(String id, Role role) throws Exception {
        return device(id, subnet, role);
    }

    public DeviceIdentity device(String id, String inSubnet, Role role) throws Exception {
        Path home = dir.resolve("devices").resolve(id);
        IdentityStore store = new IdentityStore(home, Clock.systemUTC());
        store.keygen(null, false, false);
        DeviceName name = new DeviceName(id, inSubnet, role);
        IdentityStore.Request csr = store.csr(name, PassphraseSource.none());
        IssuedCertificate cert = registrar.sign(csr.pem(), id + ".csr", false, Duration.ofDays(10), PassphraseSource.of(ROOT_PASS), "test");
        Path certFile = home.resolve("issued.pem");
        Files.writeString(certFile, Certificates.pem(Certificates.parse(cert.der(), "issued")), StandardCharsets.US_ASCII);
        store.install(certFile, registrar.dir().resolve(Registrar.ROOT_CERT), Optional.of(name), PassphraseSource.none());
        return store.load(PassphraseSource.none());
    }

    public X509CRL revoke(String id) throws Exception {
        return registrar.revoke(id, Optional.empty(), RevocationReason.KEY_COMPROMISE, PassphraseSource.of(ROOT_PASS),
                Duration.ofDays(7), "test").crl();
    }

    public X509CRL crl() throws Exception {
        return registrar.issueCrl(PassphraseSource.of(ROOT_PASS), Duration.ofDays(7), "test");
    }

    @Override
    public void close() {
        registrar.close();
    }
}
