package io.eiedge.aggregator.testsupport;

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
import io.eiedge.provisioning.pem.Pem;
import io.eiedge.provisioning.trust.RevocationLists;
import io.eiedge.runtime.testsupport.TestPki;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongUnaryOperator;

/**
 * Simulated devices for the aggregator's tests: certificates from a registrar made with
 * {@code openssl} ({@link TestPki}: shaped as DESIGN has them, and quick to issue for a fleet),
 * CRLs signed with its root key, and for each device a real {@link Chain} that signs readings of a
 * simulated meter and seals blocks of four.
 */
public final class SimulatedFleet implements AutoCloseable {
    private final Path dir;
    private final TestPki pki;
    private final List<Device> devices = new ArrayList<>();

    public SimulatedFleet(Path dir) throws Exception {
        this.dir = dir;
        this.pki = TestPki.create(dir.resolve("pki"), "fleet");
    }

    public Path rootFile() {
        return pki.rootCertificate();
    }

    /** Issues a certificate to a new device and opens its chain. */
    public Device device(String id, String subnet, String role) throws Exception {
        TestPki.Leaf leaf = pki.device(id, subnet, role);
        byte[] pkcs8 = Pem.readOne(leaf.key(), Set.of(Pem.PRIVATE_KEY)).getContent();
        Ed25519PrivateKey key = new Ed25519PrivateKey(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        byte[] der = Pem.readOne(leaf.certificate(), Set.of(Pem.CERTIFICATE)).getContent();
        Chain chain = Chain.open(dir.resolve("chain-" + id), new ChainIdentity(id, key, der), new BlockPolicy(4, Duration.ofHours(1)),
                Retention.DEFAULT, List::of, InstantSource.system());
        Device d = new Device(id, subnet, key, der, chain);
        devices.add(d);
        return d;
    }

    /** A CRL from the registrar root revoking {@code revoked}, DER. */
    public byte[] crl(long number, Device... revoked) throws Exception {
        X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(pki.rootCertificate()));
        byte[] pkcs8 = Pem.readOne(pki.rootKey(), Set.of(Pem.PRIVATE_KEY)).getContent();
        PrivateKey rootKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        List<RevocationLists.Entry> entries = new ArrayList<>();
        Instant now = Instant.now();
        for (Device d : revoked) entries.add(new RevocationLists.Entry(d.serial(), now.minusSeconds(60), CRLReason.KEY_COMPROMISE));
        return RevocationLists.build(root, rootKey, entries, BigInteger.valueOf(number), now.minusSeconds(3600), now.plus(Duration.ofDays(1)))
                .getEncoded();
    }

    @Override
    public void close() throws Exception {
        for (Device d : devices) d.chain.close();
    }

    /** A device with its chain; every sealed header is collected in order, genesis first. */
    public static final class Device {
        public final String id;
        public final String subnet;
        public final Ed25519PrivateKey key;
        public final byte[] certDer;
        public final Chain chain;
        public final List<SignedHeader> headers = new CopyOnWriteArrayList<>();

        Device(String id, String subnet, Ed25519PrivateKey key, byte[] certDer, Chain chain) {
            this.id = id;
            this.subnet = subnet;
            this.key = key;
            this.certDer = certDer;
            this.chain = chain;
            headers.add(chain.head());
            chain.onSeal(headers::add);
        }

        BigInteger serial() throws Exception {
            return ((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(certDer))).getSerialNumber();
        }

        /**
         * {@code n} readings of the "grid" meter, the i-th taken at {@code t0 + i × stepMs} with its
         * import register (1-0:1.8.0, scaler -3 Wh) at {@code milliWh(i)}: a meter whose energy is
         * known exactly. Appended in one go (one fsync), sealed every four.
         */
        public List<SignedReading> read(long t0, long stepMs, int n, LongUnaryOperator milliWh) throws Exception {
            List<ReadingDraft> drafts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                drafts.add(ReadingDraft.of("grid", t0 + i * stepMs, ClockStatus.SYNCHRONISED,
                        Map.of("1-0:1.8.0", new ScaledValue(milliWh.applyAsLong(i), -3, "Wh"), "1-0:16.7.0", new ScaledValue(900, 0, "W")),
                        Quality.GOOD));
            }
            return chain.append(drafts);
        }

        public String topic(String leaf) {
            return "ei/v1/" + subnet + "/" + id + "/" + leaf;
        }
    }
}
