package io.eiedge.runtime.node;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.provisioning.cert.DeviceRequests;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.key.Ed25519Keys;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.testsupport.FreePorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Optional;

/** A real registrar in a temp folder issuing real device identities, and nodes built from real config files. */
final class TestDevices {
    private static final char[] PASS = "test registrar".toCharArray();
    final Path dir;
    final X509Certificate root;

    TestDevices(Path dir) throws Exception {
        this.dir = dir;
        Path reg = dir.resolve("registrar");
        Files.createDirectories(reg);
        this.root = Registrar.init(reg, "test registrar", PASS, Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "test");
    }

    record Device(String id, NodeIdentity identity, TrustedDevice trusted) {
    }

    Device issue(String id, String role) throws Exception {
        KeyPair keys = Ed25519Keys.generate();
        String csr = DeviceRequests.create(DeviceName.of(id, "sub-test", role), keys.getPrivate());
        byte[] cert;
        try (Registrar r = Registrar.open(dir.resolve("registrar"), Clock.systemUTC())) {
            cert = r.sign(csr, id + ".csr", false, Registrar.DEFAULT_DEVICE_VALIDITY, PassphraseSource.of(PASS), "test").der();
        }
        NodeIdentity identity = NodeIdentity.withoutTls(new DeviceIdentity(DeviceName.of(id, "sub-test", role), keys.getPrivate(),
                Ed25519Keys.seed(keys.getPrivate()), LedgerVerifier.parseCertificate(cert), root, Optional.empty()));
        return new Device(id, identity, verifier().trust(cert));
    }

    LedgerVerifier verifier() throws Exception {
        return new LedgerVerifier(root, null, InstantSource.system());
    }

    /** Writes a config for {@code device} with the given meters YAML and loads it through the real loader. */
    EiedgeConfig config(Device device, String role, String brokerUrl, String metersYaml, String blockAge) throws Exception {
        Path data = dir.resolve(device.id());
        Files.createDirectories(data);
        Path file = data.resolve("eiedge.yaml");
        Files.writeString(file, "device:\n  id: " + device.id() + "\n  subnet: sub-test\n  role: " + role + "\n"
                + "identity:\n  dir: " + data.resolve("identity") + "\n"
                + "meters:\n" + metersYaml
                + "ledger:\n  data-dir: " + data + "\n  block:\n    max-readings: 50\n    max-age: " + blockAge + "\n"
                + "mqtt:\n  broker: " + brokerUrl + "\n  insecure: true\n  drain-rate: 500\n  reconnect:\n    min: 100ms\n    max: 1s\n"
                + "coap:\n  port: " + FreePorts.udp() + "\n"
                + "web:\n  listen: \"\"\n"); // tests that want the page set their own port
        return ConfigLoader.load(file);
    }

    static MeterFactory meterFactory(Path dir) {
        return new MeterFactory(Clock.systemUTC(), dir.resolve("pulses"), () -> {
            throw new IllegalStateException("no GPIO in tests");
        });
    }
}
