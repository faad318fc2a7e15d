package io.eiedge.provisioning;

import io.eiedge.provisioning.cert.CertificateProfile;
import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.cert.Fingerprints;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.key.Ed25519Keys;
import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerVerdict;
import io.eiedge.provisioning.trust.Refusal;
import io.eiedge.provisioning.trust.RevocationLists;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire vectors' root and device certificates (shared/vectors/wire-v1.json, copied as test data). */
class WireVectorsTest {

    static String json;
    static X509Certificate root;
    static X509Certificate device;
    static final Clock IN_2027 = Clock.fixed(Instant.parse("2027-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = WireVectorsTest.class.getResourceAsStream("/wire-v1.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        root = Certificates.parse(der(field("registrar_root_pem")), "vector root");
        device = Certificates.parse(der(field("device_cert_pem")), "vector device");
    }

    static String field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), name + " missing from wire-v1.json");
        return m.group(1).replace("\\n", "\n");
    }

    static byte[] der(String pem) throws ProvisioningException {
        return io.eiedge.provisioning.pem.Pem.decodeOne(pem, "vector", Set.of("CERTIFICATE")).getContent();
    }

    @Test
    void validatorTrustsTheVectorDeviceAndNamesIt() throws Exception {
        PeerVerdict v = PeerCertificateValidator.forRoot(root, IN_2027).check(List.of(device, root));
        assertTrue(v.isTrusted(), v.detail());
        assertEquals(new DeviceName("router-07", "sub-3", Role.ROUTER), v.peer().orElseThrow());
    }

    @Test
    void kidAndCertificateHashMatchTheVectors() {
        assertEquals(field("kid_hex"), Fingerprints.hex(Fingerprints.kid(device)));
        assertEquals(field("device_cert_sha256_hex"), Fingerprints.hex(Fingerprints.certificateSha256(device)));
        PrivateKey key = Ed25519Keys.fromSeed(HexFormat.of().parseHex(field("device_seed_hex")));
        assertEquals(field("device_spki_der_hex"), Fingerprints.hex(Ed25519Keys.publicKeyInfo(key)));
        assertArrayEquals(device.getPublicKey().getEncoded(), Ed25519Keys.publicKeyInfo(key));
        assertEquals(field("device_seed_hex"), Fingerprints.hex(Ed25519Keys.seed(key)));
        PrivateKey rootKey = Ed25519Keys.fromSeed(HexFormat.of().parseHex(field("registrar_root_seed_hex")));
        assertArrayEquals(root.getPublicKey().getEncoded(), Ed25519Keys.publicKeyInfo(rootKey));
    }

    @Test
    void validityIsEnforcedAtBothEnds() throws Exception {
        Clock after = Clock.fixed(Instant.parse("2036-01-01T00:00:00Z"), ZoneOffset.UTC);
        Clock before = Clock.fixed(Instant.parse("2025-12-31T00:00:00Z"), ZoneOffset.UTC);
        assertEquals(Refusal.ROOT_OUT_OF_VALIDITY, PeerCertificateValidator.forRoot(root, after).check(device).refusal().orElseThrow());
        assertEquals(Refusal.ROOT_OUT_OF_VALIDITY, PeerCertificateValidator.forRoot(root, before).check(device).refusal().orElseThrow());
    }

    @Test
    void aCrlSignedWithTheVectorRootRevokesTheDevice() throws Exception {
        PrivateKey rootKey = Ed25519Keys.fromSeed(HexFormat.of().parseHex(field("registrar_root_seed_hex")));
        X509CRL crl = RevocationLists.build(root, rootKey, List.of(new RevocationLists.Entry(BigInteger.valueOf(0x1007),
                Instant.parse("2027-01-01T00:00:00Z"), CRLReason.KEY_COMPROMISE)), BigInteger.TWO, Instant.parse("2027-01-02T00:00:00Z"),
                Instant.parse("2027-02-01T00:00:00Z"));
        PeerCertificateValidator v = PeerCertificateValidator.forRoot(root, IN_2027).withCrl(crl);
        PeerVerdict verdict = v.check(device);
        assertEquals(Refusal.REVOKED, verdict.refusal().orElseThrow());
        assertTrue(verdict.detail().contains("keyCompromise"), verdict.detail());
        assertTrue(v.crlOverdue(), "next update was 2027-02-01, it is 2027-06-01");

        X509CRL older = RevocationLists.build(root, rootKey, List.of(), BigInteger.ONE, Instant.parse("2027-01-01T00:00:00Z"),
                Instant.parse("2027-08-01T00:00:00Z"));
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> v.withCrl(older));
        assertTrue(e.getMessage().contains("older than the one held"), e.getMessage());

        Path crlFile = tmp.resolve("vector.crl");
        Pki.write(crlFile, Certificates.pem(crl));
        Path rootFile = tmp.resolve("root.pem");
        Pki.write(rootFile, Certificates.pem(root));
        assertTrue(Openssl.ok(tmp, "crl", "-in", crlFile.toString(), "-CAfile", rootFile.toString(), "-verify", "-noout").contains("verify OK"));
    }

    @Test
    void aCrlFromAnotherKeyIsRefused() throws Exception {
        PrivateKey impostor = Ed25519Keys.generate().getPrivate();
        X509CRL forged = RevocationLists.build(root, impostor, List.of(), BigInteger.TEN, Instant.parse("2027-01-02T00:00:00Z"),
                Instant.parse("2027-02-01T00:00:00Z"));
        PeerCertificateValidator v = PeerCertificateValidator.forRoot(root, IN_2027);
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> v.withCrl(forged));
        assertTrue(e.getMessage().contains("does not verify with the registrar root"), e.getMessage());
    }

    @Test
    void ourDeviceCertificatesFollowTheVectorProfile() throws Exception {
        Pki pki = new Pki(tmp);
        Path ours = pki.sign(pki.request(pki.device("d"), new DeviceName("router-07", "sub-3", Role.ROUTER)), "ours.pem");
        X509Certificate mine = Certificates.read(ours);
        assertEquals(device.getSubjectX500Principal(), mine.getSubjectX500Principal());
        assertEquals(device.getCriticalExtensionOIDs(), mine.getCriticalExtensionOIDs());
        Set<String> extra = mine.getNonCriticalExtensionOIDs().stream()
                .filter(o -> !device.getNonCriticalExtensionOIDs().contains(o)).collect(Collectors.toSet());
        assertEquals(Set.of("2.5.29.14", "2.5.29.35"), extra, "only key identifiers are added to the vector profile");
        assertEquals(new java.util.ArrayList<>(device.getSubjectAlternativeNames()), new java.util.ArrayList<>(mine.getSubjectAlternativeNames()));
        assertEquals(device.getExtendedKeyUsage(), mine.getExtendedKeyUsage());
        assertArrayEquals(device.getKeyUsage(), mine.getKeyUsage());
        assertEquals(device.getBasicConstraints(), mine.getBasicConstraints());
        assertEquals(new DeviceName("router-07", "sub-3", Role.ROUTER), CertificateProfile.inspectDevice(mine, "ours"));
        // and a certificate of one registrar is not trusted by another
        assertFalse(PeerCertificateValidator.forRoot(root, Clock.systemUTC()).check(mine).isTrusted());
    }
}
