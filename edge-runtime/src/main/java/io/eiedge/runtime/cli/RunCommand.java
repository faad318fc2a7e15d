package io.eiedge.runtime.cli;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.LoggingSetup;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.node.EdgeNode;
import io.eiedge.runtime.node.NodeIdentity;
import io.eiedge.runtime.systemd.SystemdNotifier;
import io.eiedge.runtime.systemd.WatchdogFeeder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code eiedge run [--config FILE]}: the daemon. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the node: read meters, sign, chain, publish.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = EiedgeConfig.DEFAULT_PATH,
            description = "configuration file (default: ${DEFAULT-VALUE})")
    Path config;

    @Override
    public Integer call() {
        Optional<EiedgeConfig> loaded = ConfigFile.loadOrReport(config, new PrintWriter(System.err, true), "not started");
        if (loaded.isEmpty()) {
            return 1;
        }
        EiedgeConfig c = loaded.get();
        LoggingSetup.apply(c.logging()); // before the first log line, so the rolling file gets everything
        NodeIdentity identity;
        try {
            identity = loadIdentity(c);
        } catch (ProvisioningException | IllegalArgumentException e) {
            System.err.println("identity in " + c.identity().dir() + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
        String device = c.device().id();
        try (WatchdogFeeder watchdog = WatchdogFeeder.start(systemd, device);
             MeterFactory meters = MeterFactory.forHardware(c.ledger().dataDir().resolve("pulses"));
             EdgeNode node = EdgeNode.start(c, identity, meters, Clock.systemUTC(), watchdog::cycleCompleted)) {
            // SIGTERM: tell systemd at once, then let the node close in order before the JVM goes
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                systemd.stopping(device + ": stopping");
                stopped.countDown();
                try {
                    closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shutdown"));
            // READY only once the ledger is open and every meter was polled once
            boolean polled = node.awaitFirstPoll(java.time.Duration.ofSeconds(60));
            var s = node.status();
            systemd.ready(device + ": " + s.meters().size() + " meters" + (polled ? "" : " (some not yet polled)")
                    + ", height " + s.height() + ", seq " + s.seq());
            stopped.await();
            System.err.println("eiedge: stopping " + device);
        } catch (Exception e) {
            System.err.println("eiedge: " + c.device().id() + " stopped: " + e.getMessage());
            return 1;
        } finally {
            closed.countDown();
        }
        return 0;
    }

    static NodeIdentity loadIdentity(EiedgeConfig c) throws ProvisioningException {
        PassphraseSource passphrases = c.identity().passphraseFile().map(PassphraseSource::fromFile)
                .orElseGet(() -> PassphraseSource.fromEnvironment(System.getenv()));
        DeviceIdentity id = IdentityStore.load(c.identity().dir(), passphrases);
        if (!id.deviceId().equals(c.device().id()) || !id.subnet().equals(c.device().subnet())) {
            throw new IllegalArgumentException("the certificate is for " + id.deviceId() + " in " + id.subnet()
                    + ", the configuration says " + c.device().id() + " in " + c.device().subnet());
        }
        return NodeIdentity.of(id);
    }
}
