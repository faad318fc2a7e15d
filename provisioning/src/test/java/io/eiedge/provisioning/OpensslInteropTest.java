package io.eiedge.provisioning;

import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.key.KeyFiles;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.registrar.RevocationReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everything the registrar and the device emit, checked with the real openssl command line. */
class OpensslInteropTest {

    @TempDir
    Path tmp;
    Pki pki;
    IdentityStore device;
    DeviceName router07 = new DeviceName("router-07", "sub-3", Role.ROUTER);

    @BeforeEach
    void setUp() throws Exception {
        pki = new Pki(tmp);
        device = pki.device("dev");
    }

    @Test
    void rootCertificateHasTheRootProfile() {
        String text = Openssl.ok(tmp, "x509", "-in", pki.rootFile().toString(), "-noout", "-text");
        assertTrue(text.contains("Subject: CN = eiedge registrar (test)"), text);
        assertTrue(text.contains("Issuer: CN = eiedge registrar (test)"), text);
        assertTrue(text.contains("Signature Algorithm: ED25519"), text);
        assertTrue(text.matches("(?s).*X509v3 Basic Constraints: critical\\s+CA:TRUE, pathlen:0.*"), text);
        assertTrue(text.matches("(?s).*X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign.*"), text);
        Openssl.ok(tmp, "verify", "-CAfile", pki.rootFile().toString(), pki.rootFile().toString());
    }

    @Test
    void requestVerifiesAndCarriesTheSanAndExtensions() throws Exception {
        Path csr = tmp.resolve("router-07.csr");
        Pki.write(csr, pki.request(device, router07));
        String out = Openssl.ok(tmp, "req", "-in", csr.toString(), "-verify", "-noout", "-text");
        assertTrue(out.contains("verify OK") || out.contains("Certificate request self-signature verify OK"), out);
        assertTrue(out.contains("Subject: CN = router-07, OU = sub-3"), out);
        assertTrue(out.contains("URI:urn:eiedge:sub-3:router:router-07"), out);
        assertTrue(out.contains("TLS Web Client Authentication, TLS Web Server Authentication"), out);
        assertTrue(out.contains("Digital Signature"), out);
    }

    @Test
    void deviceCertificateVerifiesWithTheRootAndReadsBackAsSpecified() throws Exception {
        Path cert = pki.sign(pki.request(device, router07), "router-07.pem");
        String v = Openssl.ok(tmp, "verify", "-CAfile", pki.rootFile().toString(), "-purpose", "sslclient", cert.toString());
        assertTrue(v.contains(": OK"), v);
        Openssl.ok(tmp, "verify", "-CAfile", pki.rootFile().toString(), "-purpose", "sslserver", cert.toString());
        String text = Openssl.ok(tmp, "x509", "-in", cert.toString(), "-noout", "-text");
        assertTrue(text.contains("Subject: CN = router-07, OU = sub-3"), text);
        assertTrue(text.matches("(?s).*X509v3 Basic Constraints: critical\\s+CA:FALSE.*"), text);
        assertTrue(text.matches("(?s).*X509v3 Key Usage: critical\\s+Digital Signature\\s.*"), text);
        assertTrue(text.matches("(?s).*X509v3 Extended Key Usage:\\s+TLS Web Client Authentication, TLS Web Server Authentication.*"), text);
        assertTrue(text.matches("(?s).*X509v3 Subject Alternative Name:\\s+URI:urn:eiedge:sub-3:router:router-07\\s.*"), text);
        assertTrue(text.contains("X509v3 Authority Key Identifier"), text);
        String ext = Openssl.ok(tmp, "x509", "-in", cert.toString(), "-noout", "-ext", "subjectAltName");
        assertTrue(ext.contains("URI:urn:eiedge:sub-3:router:router-07"), ext);
    }

    @Test
    void crlVerifiesAndRevokesTheDeviceForOpenssl() throws Exception {
        Path cert = pki.sign(pki.request(device, router07), "router-07.pem");
        try (Registrar r = pki.registrar()) {
            r.revoke("router-07", Optional.empty(), RevocationReason.KEY_COMPROMISE, Pki.ROOT, Duration.ofDays(7), "tester");
        }
        Path crl = pki.registrarDir.resolve(Registrar.CRL);
        String v = Openssl.ok(tmp, "crl", "-in", crl.toString(), "-CAfile", pki.rootFile().toString(), "-verify", "-noout", "-text");
        assertTrue(v.contains("verify OK"), v);
        assertTrue(v.contains("Next Update:"), v);
        assertTrue(v.contains("X509v3 CRL Number"), v);
        assertTrue(v.contains("Key Compromise"), v);
        String serial = Openssl.ok(tmp, "x509", "-in", cert.toString(), "-noout", "-serial").trim().replace("serial=", "");
        assertTrue(v.toUpperCase().contains(serial.toUpperCase()), v + " should list " + serial);
        Openssl.Result revoked = Openssl.run(tmp, "verify", "-crl_check", "-CAfile", pki.rootFile().toString(),
                "-CRLfile", crl.toString(), cert.toString());
        assertNotEquals(0, revoked.exit(), revoked.output());
        assertTrue(revoked.output().contains("certificate revoked"), revoked.output());
    }

    @Test
    void encryptedKeysAreReadableByOpensslAndOpensslKeysByUs() throws Exception {
        device.keygen("device secret".toCharArray(), false, false);
        String out = Openssl.ok(tmp, "pkey", "-in", device.keyFile().toString(), "-passin", "pass:device secret", "-pubout");
        assertTrue(out.contains("BEGIN PUBLIC KEY"), out);
        Openssl.Result wrong = Openssl.run(tmp, "pkey", "-in", device.keyFile().toString(), "-passin", "pass:nope", "-noout");
        assertNotEquals(0, wrong.exit());

        Path foreign = tmp.resolve("openssl-key.pem");
        Openssl.ok(tmp, "genpkey", "-algorithm", "ed25519", "-out", foreign.toString());
        Files.setPosixFilePermissions(foreign, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        PrivateKey k = KeyFiles.read(foreign, PassphraseSource.none(), "device key");
        assertEquals("EdDSA", k.getAlgorithm().equals("Ed25519") ? "EdDSA" : k.getAlgorithm());
        Path enc = tmp.resolve("openssl-enc.pem");
        Openssl.ok(tmp, "pkcs8", "-topk8", "-in", foreign.toString(), "-out", enc.toString(), "-v2", "aes-256-cbc", "-passout", "pass:s3cret-pass");
        Files.setPosixFilePermissions(enc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        PrivateKey k2 = KeyFiles.read(enc, PassphraseSource.of("s3cret-pass".toCharArray()), "device key");
        assertEquals(java.util.HexFormat.of().formatHex(io.eiedge.provisioning.key.Ed25519Keys.seed(k)),
                java.util.HexFormat.of().formatHex(io.eiedge.provisioning.key.Ed25519Keys.seed(k2)));
    }
}
