package io.eiedge.provisioning;

import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.IssuedCertificate;
import io.eiedge.provisioning.registrar.Registrar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helper: a registrar and devices in temporary folders, made through the real code paths. */
public final class Pki {

    public static final char[] ROOT_PASS = "correct horse battery".toCharArray();
    public static final PassphraseSource ROOT = PassphraseSource.of(ROOT_PASS);

    public final Path base;
    public final Path registrarDir;

    public Pki(Path base) throws ProvisioningException {
        this.base = base;
        this.registrarDir = base.resolve("registrar");
        Registrar.init(registrarDir, "eiedge registrar (test)", ROOT_PASS, Registrar.DEFAULT_ROOT_VALIDITY,
                Clock.systemUTC(), "tester");
    }

    public Registrar registrar() throws ProvisioningException {
        return Registrar.open(registrarDir, Clock.systemUTC());
    }

    public Registrar registrar(Clock clock) throws ProvisioningException {
        return Registrar.open(registrarDir, clock);
    }

    public IdentityStore device(String dirName) {
        return new IdentityStore(base.resolve(dirName), Clock.systemUTC());
    }

    /** keygen + csr on the device side; returns the CSR PEM. */
    public String request(IdentityStore device, DeviceName name) throws ProvisioningException {
        device.keygen(null, false, false);
        return device.csr(name, PassphraseSource.none()).pem();
    }

    /** The registrar signs; the certificate is written as PEM to a file in base, returned. */
    public Path sign(String csrPem, boolean renew, Clock clock, Duration validity, String fileName) throws ProvisioningException {
        try (Registrar r = registrar(clock)) {
            IssuedCertificate c = r.sign(csrPem, "test.csr", renew, validity, ROOT, "tester");
            Path out = base.resolve(fileName);
            write(out, io.eiedge.provisioning.pem.Pem.encode("CERTIFICATE", c.der()));
            return out;
        }
    }

    public Path sign(String csrPem, String fileName) throws ProvisioningException {
        return sign(csrPem, false, Clock.systemUTC(), Registrar.DEFAULT_DEVICE_VALIDITY, fileName);
    }

    public Path rootFile() {
        return registrarDir.resolve(Registrar.ROOT_CERT);
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under a folder with its bytes: to show that a refusal changed nothing. */
    public static Map<String, String> snapshot(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    out.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p))
                            + " " + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
