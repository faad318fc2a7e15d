package io.eiedge.provisioning;

import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.pem.Pem;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.registrar.RevocationReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input gets its own clear refusal, and changes nothing on the device or the registrar. */
class BadInputTest {

    @TempDir
    Path tmp;
    Pki pki;
    IdentityStore device;
    final DeviceName router07 = new DeviceName("router-07", "sub-3", Role.ROUTER);

    @BeforeEach
    void setUp() throws Exception {
        pki = new Pki(tmp);
        device = pki.device("dev");
    }

    /** Runs the action, expects the refusal, and checks the device and registrar folders did not change. */
    private ProvisioningException refused(Problem problem, String messagePart, Executable action) throws Exception {
        Map<String, String> dev = Pki.snapshot(device.dir());
        int certs;
        int decisions;
        try (Registrar r = pki.registrar()) {
            certs = r.list().size();
            decisions = r.decisions().size();
        }
        Map<String, String> regFiles = Pki.snapshot(pki.registrarDir);
        regFiles.remove(Registrar.STORE);
        ProvisioningException e = assertThrows(ProvisioningException.class, action);
        assertEquals(problem, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message should say '" + messagePart + "': " + e.getMessage());
        assertEquals(dev, Pki.snapshot(device.dir()), "the device folder changed");
        Map<String, String> regAfter = Pki.snapshot(pki.registrarDir);
        regAfter.remove(Registrar.STORE);
        assertEquals(regFiles, regAfter, "the registrar folder changed");
        try (Registrar r = pki.registrar()) {
            assertEquals(certs, r.list().size(), "the registrar issued or lost a certificate");
            assertEquals(decisions, r.decisions().size(), "the registrar recorded a decision");
        }
        return e;
    }

    @Test
    void wrongPassphraseForTheRootKey() throws Exception {
        String csr = pki.request(device, router07);
        refused(Problem.WRONG_PASSPHRASE, "wrong passphrase for the registrar root key", () -> {
            try (Registrar r = pki.registrar()) {
                r.sign(csr, "r.csr", false, Duration.ofDays(30), PassphraseSource.of("not it".toCharArray()), "t");
            }
        });
        refused(Problem.NO_PASSPHRASE, "no passphrase was given", () -> {
            try (Registrar r = pki.registrar()) {
                r.sign(csr, "r.csr", false, Duration.ofDays(30), PassphraseSource.none(), "t");
            }
        });
    }

    @Test
    void wrongPassphraseForAnEncryptedDeviceKey() throws Exception {
        device.keygen("right one".toCharArray(), false, false);
        refused(Problem.WRONG_PASSPHRASE, "wrong passphrase for the device key",
                () -> device.csr(router07, PassphraseSource.of("wrong one".toCharArray())));
        refused(Problem.NO_PASSPHRASE, "is encrypted and no passphrase was given", () -> device.csr(router07, PassphraseSource.none()));
        assertTrue(device.csr(router07, PassphraseSource.of("right one".toCharArray())).pem().contains("CERTIFICATE REQUEST"));
    }

    @Test
    void corruptedPemCertificate() throws Exception {
        Path cert = pki.sign(pki.request(device, router07), "cert.pem");
        String pem = Files.readString(cert);
        Path broken = tmp.resolve("broken.pem");
        Pki.write(broken, pem.substring(0, 80) + "!!not base64!!" + pem.substring(80));
        refused(Problem.INVALID_INPUT, "corrupted PEM", () -> device.install(broken, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
        Path truncated = tmp.resolve("truncated.pem");
        Pki.write(truncated, pem.substring(0, pem.length() / 2));
        refused(Problem.INVALID_INPUT, "corrupted PEM", () -> device.install(truncated, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
        Path notCert = tmp.resolve("garbage.pem");
        Pki.write(notCert, Pem.encode("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}));
        refused(Problem.INVALID_INPUT, "not an X.509 certificate", () -> device.install(notCert, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
    }

    @Test
    void csrWhoseSignatureDoesNotMatch() throws Exception {
        String csr = pki.request(device, router07);
        byte[] der = Pem.decodeOne(csr, "csr", java.util.Set.of("CERTIFICATE REQUEST")).getContent();
        der[der.length - 5] ^= 0x01; // inside the Ed25519 signature
        String tampered = Pem.encode("CERTIFICATE REQUEST", der);
        refused(Problem.INVALID_INPUT, "signature does not match its public key", () -> {
            try (Registrar r = pki.registrar()) {
                r.sign(tampered, "tampered.csr", false, Duration.ofDays(30), Pki.ROOT, "t");
            }
        });
        String corrupted = csr.replace("MII", "MI*");
        refused(Problem.INVALID_INPUT, "tampered", () -> {
            try (Registrar r = pki.registrar()) {
                r.sign(corrupted, "tampered.csr", false, Duration.ofDays(30), Pki.ROOT, "t");
            }
        }).getMessage();
    }

    @Test
    void csrForAnotherSubnetsId() throws Exception {
        pki.sign(pki.request(device, router07), "first.pem");
        IdentityStore other = pki.device("impostor");
        String csr = pki.request(other, new DeviceName("router-07", "sub-4", Role.ROUTER));
        refused(Problem.INVALID_INPUT, "belongs to subnet sub-3", () -> pki.sign(csr, "second.pem"));
        String again = pki.request(pki.device("twin"), router07);
        refused(Problem.ALREADY_EXISTS, "already has a live certificate", () -> pki.sign(again, "twin.pem"));
    }

    @Test
    void certificateForAnotherKey() throws Exception {
        IdentityStore other = pki.device("other");
        Path othersCert = pki.sign(pki.request(other, new DeviceName("router-08", "sub-3", Role.ROUTER)), "other.pem");
        device.keygen(null, false, false);
        device.csr(router07, PassphraseSource.none());
        refused(Problem.INVALID_INPUT, "is for another key", () -> device.install(othersCert, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
    }

    @Test
    void certificateForAnotherDeviceName() throws Exception {
        Path cert = pki.sign(pki.request(device, router07), "cert.pem");
        refused(Problem.INVALID_INPUT, "but this device expects", () -> device.install(cert, pki.rootFile(),
                Optional.of(new DeviceName("router-07", "sub-3", Role.EXCHANGE)), PassphraseSource.none()));
    }

    @Test
    void expiredCertificate() throws Exception {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(40)), ZoneOffset.UTC);
        Path cert = pki.sign(pki.request(device, router07), false, past, Duration.ofDays(10), "old.pem");
        refused(Problem.OUT_OF_VALIDITY, "expired at", () -> device.install(cert, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
    }

    @Test
    void notYetValidCertificate() throws Exception {
        Clock future = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);
        Path cert = pki.sign(pki.request(device, router07), false, future, Duration.ofDays(10), "future.pem");
        refused(Problem.OUT_OF_VALIDITY, "is not valid before", () -> device.install(cert, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
    }

    @Test
    void certificateFromAnotherRegistrar() throws Exception {
        Path cert = pki.sign(pki.request(device, router07), "cert.pem");
        Pki otherPki = new Pki(tmp.resolve("elsewhere"));
        refused(Problem.INVALID_INPUT, "does not verify with the registrar root's key", () -> device.install(cert, otherPki.rootFile(), Optional.empty(), PassphraseSource.none()));
    }

    @Test
    void revokedDevice() throws Exception {
        String csr = pki.request(device, router07);
        Path cert = pki.sign(csr, "cert.pem");
        device.install(cert, pki.rootFile(), Optional.empty(), PassphraseSource.none());
        try (Registrar r = pki.registrar()) {
            r.revoke("router-07", Optional.empty(), RevocationReason.KEY_COMPROMISE, Pki.ROOT, Duration.ofDays(7), "t");
        }
        device.installCrl(pki.registrarDir.resolve(Registrar.CRL));
        // re-installing the revoked certificate is refused
        refused(Problem.REVOKED, "was revoked by the registrar", () -> device.install(cert, pki.rootFile(), Optional.empty(), PassphraseSource.none()));
        // the registrar refuses to certify a key revoked for compromise, and to revoke twice
        refused(Problem.REVOKED, "revoked for keyCompromise", () -> pki.sign(csr, true, Clock.systemUTC(), Duration.ofDays(10), "again.pem"));
        refused(Problem.REVOKED, "already revoked", () -> {
            try (Registrar r = pki.registrar()) {
                r.revoke("router-07", Optional.empty(), RevocationReason.KEY_COMPROMISE, Pki.ROOT, Duration.ofDays(7), "t");
            }
        });
        refused(Problem.NOT_FOUND, "never issued a certificate for device 'nobody'", () -> {
            try (Registrar r = pki.registrar()) {
                r.revoke("nobody", Optional.empty(), RevocationReason.KEY_COMPROMISE, Pki.ROOT, Duration.ofDays(7), "t");
            }
        });
    }

    @Test
    void keyFileWithLoosePermissions() throws Exception {
        device.keygen(null, false, false);
        Files.setPosixFilePermissions(device.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));
        refused(Problem.INSECURE_PERMISSIONS, "must be readable by its owner only", () -> device.csr(router07, PassphraseSource.none()));
        refused(Problem.INSECURE_PERMISSIONS, "rw-r--r--", () -> device.load(PassphraseSource.none()));
        Files.setPosixFilePermissions(pki.registrarDir.resolve(Registrar.ROOT_KEY), PosixFilePermissions.fromString("rw----r--"));
        Files.setPosixFilePermissions(device.keyFile(), PosixFilePermissions.fromString("rw-------"));
        String csr = device.csr(router07, PassphraseSource.none()).pem();
        refused(Problem.INSECURE_PERMISSIONS, "root-key.pem has mode", () -> pki.sign(csr, "x.pem"));
    }

    @Test
    void keygenRefusesToOverwriteWithoutForce() throws Exception {
        device.keygen(null, false, false);
        refused(Problem.ALREADY_EXISTS, "refusing to overwrite", () -> device.keygen(null, false, false));
    }

    @Test
    void malformedNamesAndReasons() {
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> DeviceName.of("router/07", "sub-3", "router"));
        assertTrue(e.getMessage().contains("device id 'router/07'"), e.getMessage());
        e = assertThrows(ProvisioningException.class, () -> DeviceName.of("router-07", "sub-3", "toaster"));
        assertTrue(e.getMessage().contains("role 'toaster' is not one of router|exchange|interface"), e.getMessage());
        e = assertThrows(ProvisioningException.class, () -> RevocationReason.parse("bored"));
        assertTrue(e.getMessage().contains("keyCompromise"), e.getMessage());
        assertEquals(RevocationReason.CESSATION_OF_OPERATION, assertDoesNotThrowParse("cessationOfOperation"));
        String b64 = Base64.getEncoder().encodeToString(new byte[3]);
        assertTrue(b64.length() > 0);
    }

    private static RevocationReason assertDoesNotThrowParse(String s) {
        try {
            return RevocationReason.parse(s);
        } catch (ProvisioningException e) {
            throw new AssertionError(e);
        }
    }
}
