package io.eiedge.bench.ledger;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.codec.ReadingCodec;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Date;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the ledger benchmarks share: a device identity certified by a throw-away registrar
 * root (so {@link LedgerVerifier} runs its real checks), a realistic grid-meter reading, and
 * chain directories on the real disk.
 */
final class LedgerFixture {
    static final String DEVICE = "bench-01";
    /** Where chains are written; must be a real disk (fsync cost is what is measured). */
    static final Path BASE_DIR = Path.of(System.getProperty("ledger.bench.dir", "/var/tmp"));

    final Ed25519PrivateKey key;
    final ChainIdentity identity;
    final LedgerVerifier verifier;
    final TrustedDevice device;

    LedgerFixture() throws Exception {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        key = new Ed25519PrivateKey(seed);
        KeyPair root = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X509Certificate rootCert = certificate(new X500Name("CN=eiedge bench registrar"), root.getPublic(), root, true, null);
        PublicKey devicePublic = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(key.publicKey().spkiDer()));
        X509Certificate deviceCert = certificate(new X500Name("CN=" + DEVICE + ",OU=sub-1"), devicePublic, root, false,
                "urn:eiedge:sub-1:router:" + DEVICE);
        identity = new ChainIdentity(DEVICE, key, deviceCert.getEncoded());
        verifier = new LedgerVerifier(LedgerVerifier.parseCertificate(rootCert.getEncoded()), null, InstantSource.system());
        device = verifier.trust(deviceCert.getEncoded());
    }

    private static X509Certificate certificate(X500Name subject, PublicKey subjectKey, KeyPair issuer, boolean ca, String san)
            throws Exception {
        Instant now = Instant.now();
        X500Name issuerName = ca ? subject : new X500Name("CN=eiedge bench registrar");
        var builder = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject, subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        if (san != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, san)));
        }
        var signer = new JcaContentSignerBuilder("Ed25519").build(issuer.getPrivate());
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    /** A grid meter's poll: import and export registers, power, voltage — the common case. */
    static ReadingDraft gridDraft(long timeMs, long importWh) {
        return ReadingDraft.of("grid", timeMs, ClockStatus.SYNCHRONISED, Map.of(
                "1-0:1.8.0", new ScaledValue(importWh, -3, "Wh"),
                "1-0:2.8.0", new ScaledValue(4200, 0, "Wh"),
                "1-0:16.7.0", new ScaledValue(-1520, 0, "W"),
                "1-0:32.7.0", new ScaledValue(2301, -1, "V")), Quality.GOOD);
    }

    /** The bytes Ed25519 signs for such a reading: {@code ["Signature1", protected, h'', payload]}. */
    static byte[] sigStructure(Reading reading) {
        byte[] protectedHeader = CBORObject.NewMap().Add(1, -8).EncodeToBytes();
        return CBORObject.NewArray().Add("Signature1").Add(protectedHeader).Add(new byte[0])
                .Add(ReadingCodec.encode(reading)).EncodeToBytes();
    }

    static Reading gridReading(long seq) {
        ReadingDraft d = gridDraft(1_767_225_601_000L, 123_456_789L);
        return new Reading(DEVICE, d.meterId(), seq, d.timeMs(), d.clock(), d.values(), d.quality());
    }

    /** A fresh chain directory under {@link #BASE_DIR}, refused on tmpfs where fsync costs nothing. */
    static Path newChainDir(String name) throws IOException {
        Files.createDirectories(BASE_DIR);
        FileStore store = Files.getFileStore(BASE_DIR);
        if (store.type().equals("tmpfs") || store.type().equals("ramfs")) {
            throw new IllegalStateException(BASE_DIR + " is on " + store.type() + ": fsync is free there, the append figures"
                    + " would mean nothing. Pass -Dledger.bench.dir=<dir on a real disk> (JMH: -jvmArgsAppend -Dledger.bench.dir=...)");
        }
        return Files.createTempDirectory(BASE_DIR, "eiedge-bench-" + name + "-");
    }

    static String describeStore() {
        try {
            FileStore store = Files.getFileStore(BASE_DIR);
            return BASE_DIR + " (" + store.type() + " " + store.name() + ")";
        } catch (IOException e) {
            return BASE_DIR + " (" + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
