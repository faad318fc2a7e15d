package io.eiedge.runtime.demo;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.cert.DeviceRequests;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.provisioning.key.Ed25519Keys;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.InvalidConfigException;
import io.eiedge.runtime.config.MeterConfig;
import io.eiedge.runtime.node.EdgeNode;
import io.eiedge.runtime.node.NodeIdentity;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's subnet, built the way a real one is: a registrar is initialised, every device
 * generates its own key, asks with a CSR and gets a certificate; each device gets a real
 * configuration file (checked by the real loader) and runs as a real {@link EdgeNode} with
 * simulated meters, publishing to the broker at {@code broker}.
 */
public final class DemoSubnet implements AutoCloseable {
    public static final String SUBNET = "demo-subnet";
    private static final char[] REGISTRAR_PASSPHRASE = "demo registrar passphrase".toCharArray();

    private final Path dir;
    private final X509Certificate root;
    private final List<EdgeNode> nodes = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final MeterFactory meters;

    private DemoSubnet(Path dir, X509Certificate root) {
        this.dir = dir;
        this.root = root;
        this.meters = new MeterFactory(Clock.systemUTC(), dir.resolve("pulses"), () -> {
            throw new IllegalStateException("the demo has no GPIO");
        });
    }

    public static DemoSubnet start(Path dir, int nodeCount, URI broker, Duration blockAge) throws IOException,
            ProvisioningException, InvalidConfigException, io.eiedge.ledger.chain.LedgerStoreException,
            io.eiedge.ledger.verify.VerificationException {
        return start(dir, nodeCount, broker, blockAge, Duration.ofSeconds(1), 1000);
    }

    /** @param pollInterval every meter's; @param drainRate the outbox's messages per second */
    public static DemoSubnet start(Path dir, int nodeCount, URI broker, Duration blockAge, Duration pollInterval,
                                   double drainRate) throws IOException, ProvisioningException, InvalidConfigException,
            io.eiedge.ledger.chain.LedgerStoreException, io.eiedge.ledger.verify.VerificationException {
        DemoSubnet subnet = create(dir);
        subnet.startNodes(nodeCount, broker, blockAge, pollInterval, drainRate);
        return subnet;
    }

    /** Initialises the registrar only, so an aggregator can be listening (with its root) before any device starts. */
    public static DemoSubnet create(Path dir) throws IOException, ProvisioningException {
        Path registrarDir = dir.resolve("registrar");
        Files.createDirectories(registrarDir);
        X509Certificate root = Registrar.init(registrarDir, "eiedge demo registrar", REGISTRAR_PASSPHRASE,
                Registrar.DEFAULT_ROOT_VALIDITY, Clock.systemUTC(), "demo");
        return new DemoSubnet(dir, root);
    }

    /** Issues an identity to each device and starts it. */
    public void startNodes(int nodeCount, URI broker, Duration blockAge, Duration pollInterval, double drainRate)
            throws IOException, ProvisioningException, InvalidConfigException, io.eiedge.ledger.chain.LedgerStoreException,
            io.eiedge.ledger.verify.VerificationException {
        Clock clock = Clock.systemUTC();
        try (Registrar registrar = Registrar.open(dir.resolve("registrar"), clock)) {
            // the configuration refuses polls faster than 100 ms (a typo guard); benchmarks go faster in code
            Duration configured = pollInterval.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : pollInterval;
            List<DemoDevice> devices = DemoDevice.subnet(nodeCount, configured.toMillis() + "ms");
            // every device serves CoAP over DTLS on its own loopback port and syncs every other one
            java.util.Map<String, Integer> coapPorts = new java.util.LinkedHashMap<>();
            for (DemoDevice d : devices) {
                coapPorts.put(d.id(), freeUdpPort());
            }
            for (DemoDevice d : devices) {
                KeyPair keys = Ed25519Keys.generate();
                String csr = DeviceRequests.create(DeviceName.of(d.id(), SUBNET, d.role()), keys.getPrivate());
                byte[] cert = registrar.sign(csr, d.id() + ".csr", false, Registrar.DEFAULT_DEVICE_VALIDITY,
                        PassphraseSource.of(REGISTRAR_PASSPHRASE), "demo").der();
                Path data = dir.resolve(d.id());
                Files.createDirectories(data);
                Path configFile = data.resolve("eiedge.yaml");
                Files.writeString(configFile, yaml(d, data, broker, blockAge, drainRate, coapPorts));
                EiedgeConfig config = withPollInterval(ConfigLoader.load(configFile), pollInterval);
                DeviceName name = DeviceName.of(d.id(), SUBNET, d.role());
                NodeIdentity identity = NodeIdentity.withoutTls(new DeviceIdentity(name, keys.getPrivate(),
                        Ed25519Keys.seed(keys.getPrivate()), LedgerVerifier.parseCertificate(cert), root, Optional.empty()));
                dataDirs.add(data);
                nodes.add(EdgeNode.start(config, identity, meters, clock));
            }
        } catch (IOException | ProvisioningException | InvalidConfigException | io.eiedge.ledger.verify.VerificationException
                 | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String yaml(DemoDevice d, Path data, URI broker, Duration blockAge, double drainRate,
                               java.util.Map<String, Integer> coapPorts) {
        StringBuilder peers = new StringBuilder();
        coapPorts.forEach((id, port) -> {
            if (!id.equals(d.id())) {
                peers.append("    - id: ").append(id).append("\n      uri: coaps://127.0.0.1:").append(port).append('\n');
            }
        });
        return "# written by 'eiedge demo'\n"
                + "device:\n  id: " + d.id() + "\n  subnet: " + SUBNET + "\n  role: " + d.role() + "\n"
                + "identity:\n  dir: " + data.resolve("identity") + "\n"
                + "meters:\n" + String.join("", d.meterYaml())
                + "ledger:\n  data-dir: " + data + "\n  block:\n    max-readings: 4096\n    max-age: " + blockAge.toSeconds() + "s\n"
                + "mqtt:\n  broker: " + broker + "\n  insecure: true\n  drain-rate: " + (long) drainRate + "\n  reconnect:\n    min: 200ms\n    max: 2s\n"
                + "coap:\n  port: " + coapPorts.get(d.id()) + "\n"
                + "web:\n  listen: \"\"\n" // N demo nodes cannot share one port; the demo has its own live table
                + (peers.isEmpty() ? "" : "  peers:\n" + peers);
    }

    private static EiedgeConfig withPollInterval(EiedgeConfig c, Duration poll) {
        var meters = c.meters().stream().map(m -> new MeterConfig(m.id(), poll, m.connection())).toList();
        return new EiedgeConfig(c.device(), c.identity(), meters, c.ledger(), c.mqtt(), c.coap(), c.logging(), c.web());
    }

    public X509Certificate root() {
        return root;
    }

    public List<EdgeNode> nodes() {
        return nodes;
    }

    public List<Path> dataDirs() {
        return dataDirs;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        for (EdgeNode n : nodes) {
            n.close();
        }
        meters.close();
    }
}
