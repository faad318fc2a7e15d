package io.eiedge.runtime.watch;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.IssuedCertificate;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.registrar.RevocationReason;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real registrar (provisioning code, in a temp folder) and devices made the way technicians
 * make them (keygen and CSR on the device, signed by the registrar), each with a real
 * {@link Chain} that signs readings and seals blocks of four.
 */
final class Testbed {
    static final char[] ROOT_PASS = "registrar passphrase".toCharArray();
    static final PassphraseSource ROOT = PassphraseSource.of(ROOT_PASS);

    final Path dir;
    final X509Certificate root;

    Testbed(Path dir) throws Exception {
        this.dir = dir;
        this.root = Registrar.init(dir.resolve("registrar"), "eiedge test registrar", ROOT_PASS,
                Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "tester");
    }

    Registrar registrar() throws Exception {
        return Registrar.open(dir.resolve("registrar"), Clock.systemUTC());
    }

    Path rootFile() {
        return dir.resolve("registrar").resolve(Registrar.ROOT_CERT);
    }

    /** Issues a certificate to a new device and opens its chain. */
    Device device(String id, String subnet, String role) throws Exception {
        IdentityStore store = new IdentityStore(dir.resolve("identity-" + id), Clock.systemUTC());
        store.keygen(null, false, false);
        String csr = store.csr(DeviceName.of(id, subnet, role), PassphraseSource.none()).pem();
        IssuedCertificate issued;
        try (Registrar r = registrar()) {
            issued = r.sign(csr, id + ".csr", false, Registrar.DEFAULT_DEVICE_VALIDITY, ROOT, "tester");
        }
        Path certFile = dir.resolve(id + "-cert.pem");
        java.nio.file.Files.writeString(certFile, io.eiedge.provisioning.pem.Pem.encode("CERTIFICATE", issued.der()));
        store.install(certFile, rootFile(), Optional.empty(), PassphraseSource.none());
        DeviceIdentity identity = store.load(PassphraseSource.none());
        Ed25519PrivateKey key = new Ed25519PrivateKey(identity.seed());
        Chain chain = Chain.open(dir.resolve("chain-" + id), new ChainIdentity(id, key, issued.der()),
                new BlockPolicy(4, Duration.ofHours(1)), Retention.DEFAULT, List::of, InstantSource.system());
        return new Device(id, subnet, key, issued.der(), chain);
    }

    /** Revokes a device; returns the registrar's new CRL. */
    X509CRL revoke(String id) throws Exception {
        try (Registrar r = registrar()) {
            return r.revoke(id, Optional.empty(), RevocationReason.parse("keyCompromise"), ROOT, Duration.ofDays(1), "tester").crl();
        }
    }

    /** An empty CRL from the registrar. */
    X509CRL crl() throws Exception {
        try (Registrar r = registrar()) {
            return r.issueCrl(ROOT, Duration.ofDays(1), "tester");
        }
    }

    static byte[] der(X509CRL crl) {
        return Certificates.der(crl);
    }

    /** A device with its chain; every sealed header is collected in order, genesis first. */
    static final class Device implements AutoCloseable {
        final String id;
        final String subnet;
        final Ed25519PrivateKey key;
        final byte[] certDer;
        final Chain chain;
        final List<SignedHeader> headers = new CopyOnWriteArrayList<>();
        private long energy = 1_000_000;

        Device(String id, String subnet, Ed25519PrivateKey key, byte[] certDer, Chain chain) {
            this.id = id;
            this.subnet = subnet;
            this.key = key;
            this.certDer = certDer;
            this.chain = chain;
            headers.add(chain.head());
            chain.onSeal(headers::add);
        }

        /** Appends {@code n} readings of the "grid" meter; the chain seals every fourth. */
        List<SignedReading> read(int n) throws Exception {
            List<ReadingDraft> drafts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                energy += 250;
                drafts.add(ReadingDraft.of("grid", System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                        Map.of("1-0:1.8.0", new ScaledValue(energy, -3, "Wh"), "1-0:16.7.0", new ScaledValue(900, 0, "W")),
                        Quality.GOOD));
            }
            return chain.append(drafts);
        }

        String topic(String leaf) {
            return "ei/v1/" + subnet + "/" + id + "/" + leaf;
        }

        String topic(String prefix, String leaf) {
            return prefix + "/" + subnet + "/" + id + "/" + leaf;
        }

        @Override
        public void close() throws Exception {
            chain.close();
        }
    }
}
