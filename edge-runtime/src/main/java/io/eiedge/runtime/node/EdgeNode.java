package io.eiedge.runtime.node;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.MeterConfig;
import io.eiedge.runtime.mqtt.ChainPosition;
import io.eiedge.runtime.mqtt.MqttUplink;
import io.eiedge.runtime.mqtt.SessionCounter;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.runtime.sync.MqttHeaderFeed;
import io.eiedge.runtime.sync.PeerNetwork;
import io.eiedge.runtime.config.WebConfig;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.web.LatencyHistogram;
import io.eiedge.runtime.web.StatusServer;
import io.eiedge.provisioning.cert.Fingerprints;
import io.eiedge.provisioning.identity.DeviceIdentity;
import org.tinylog.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One device's runtime: meters polled on their own schedules → readings signed and appended
 * durably → blocks sealed by policy → everything published upstream through the outbox. Built
 * from immutable configuration; {@link #close()} stops it in order (meters, appender, outbox,
 * uplink, chain) so nothing read is lost.
 */
public final class EdgeNode implements AutoCloseable {
    private static final String STATUS_FILE = "status.json";

    private final EiedgeConfig config;
    private final Clock clock;
    private final Chain chain;
    private final PeerHeaderStore peers;
    private final PeerNetwork network;
    private final MqttUplink uplink;
    private final Outbox outbox;
    private final ReadingPipeline pipeline;
    private final List<MeterPoller> pollers = new ArrayList<>();
    private final Map<String, MeterHealth> health = new java.util.LinkedHashMap<>();
    private final ScheduledExecutorService housekeeping;
    private final Path dataDir;
    private final NodeIdentity identity;
    private final String keyFingerprint;
    private final LatencyHistogram fsyncs = new LatencyHistogram();
    private final AlertLog alerts = new AlertLog();
    private volatile StatusServer web;
    private volatile String webProblem;

    private EdgeNode(EiedgeConfig config, NodeIdentity identity, MeterFactory meters, Supplier<ClockStatus> clockStatus,
                     Clock clock, Runnable onCycle) throws LedgerStoreException, IOException, ProvisioningException {
        this.config = config;
        this.clock = clock;
        this.dataDir = config.ledger().dataDir();
        this.identity = identity;
        this.keyFingerprint = Fingerprints.human(identity.device().kid());
        Files.createDirectories(dataDir);
        var ledger = config.ledger();
        this.peers = PeerHeaderStore.open(dataDir.resolve("peers")); // one folder of append-only logs per peer
        if (peers.recoveredFrom() != null) {
            Logger.error("device {}: the peer-header store could not be read and was moved to {}; peers' headers will be synced again",
                    config.device().id(), peers.recoveredFrom());
        }
        try {
            this.chain = Chain.open(dataDir.resolve("chain"),
                    new ChainIdentity(config.device().id(), identity.key(), identity.certificateDer()),
                    new BlockPolicy(ledger.blockMaxReadings(), ledger.blockMaxAge()),
                    new Retention(ledger.retention(), ledger.retentionMaxBytes().orElse(0), Retention.DEFAULT.segmentBytes()),
                    peers::drainWitnesses, clock);
        } catch (LedgerStoreException | RuntimeException e) {
            peers.close();
            throw e;
        }
        chain.onFsync(fsyncs);
        PeerNetwork net = null;
        try {
            this.uplink = new MqttUplink(config.device(), config.mqtt(), identity.tls(), Optional.of(identity.certificateDer()),
                    SessionCounter.open(dataDir),
                    () -> new ChainPosition(chain.nextSeq() - 1, chain.head().height()), clock);
            this.outbox = new Outbox(chain, uplink, dataDir, config.mqtt().drainRate(),
                    config.mqtt().outbox().maxBytes(), config.mqtt().outbox().whenFull());
            this.pipeline = new ReadingPipeline(chain, clock, outbox::wake, onCycle);
            // the peer network: CoAP(S) server, header sync, witnesses, alerts, revocation, balance
            MqttUplink up = uplink;
            net = PeerNetwork.start(config.coap(), identity.device(), chain, peers, identity.device().validator(clock),
                    new PeerNetwork.Sinks(alert -> {
                        alerts.note(clock.millis(), "equivocation evidence published on " + up.topics().alert());
                        up.publish(up.topics().alert(), alert, false);
                    },
                            balance -> up.publish(up.topics().balance(), balance, true)),
                    PeerNetwork.Options.defaults().withHealth(() -> status().toJson()));
            MqttHeaderFeed feed = net.mqttFeed(config.mqtt().topicPrefix());
            uplink.subscribe(feed.filters(), feed);
            Path crl = config.identity().dir().resolve(IdentityStore.CRL);
            if (Files.exists(crl)) {
                net.revocation().offerFile(crl);
            }
            this.network = net;
            for (MeterConfig m : config.meters()) {
                MeterHealth h = new MeterHealth(m.id());
                health.put(m.id(), h);
                Meter meter = meters.create(MeterWiring.toDriver(m));
                pollers.add(new MeterPoller(meter, m.pollInterval(), clockStatus, clock, pipeline::accept, h));
            }
        } catch (IOException | ProvisioningException | RuntimeException e) {
            if (net != null) {
                net.close();
            }
            chain.close();
            peers.close();
            throw e;
        }
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("housekeeping-" + config.device().id()).unstarted(r));
    }

    /** Opens the chain, starts the uplink, the outbox, the appender and every meter. */
    public static EdgeNode start(EiedgeConfig config, NodeIdentity identity, MeterFactory meters, Clock clock)
            throws LedgerStoreException, IOException, ProvisioningException {
        return start(config, identity, meters, clock, () -> { });
    }

    /** @param onCycle called after every turn of the appender (the systemd watchdog feeds on it) */
    public static EdgeNode start(EiedgeConfig config, NodeIdentity identity, MeterFactory meters, Clock clock, Runnable onCycle)
            throws LedgerStoreException, IOException, ProvisioningException {
        EdgeNode node = new EdgeNode(config, identity, meters, new ClockProbe(), clock, onCycle);
        node.uplink.start();
        node.outbox.start();
        node.pipeline.start();
        node.pollers.forEach(MeterPoller::start);
        node.startWeb();
        node.housekeeping.scheduleWithFixedDelay(node::writeStatus, 0, 2, TimeUnit.SECONDS);
        node.housekeeping.scheduleWithFixedDelay(node::prune, 1, 60, TimeUnit.MINUTES);
        Logger.info("device {}: running with {} meters, chain at height {}, next seq {}", config.device().id(),
                node.pollers.size(), node.chain.head().height(), node.chain.nextSeq());
        return node;
    }

    /** Waits until every meter has been polled once (answered or not), up to {@code timeout}; true if all were. */
    public boolean awaitFirstPoll(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (health.values().stream().anyMatch(h -> h.snapshot().reads() == 0)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public Chain chain() {
        return chain;
    }

    /**
     * Serves the status page when {@code web.listen} is set. A port already taken or unusable TLS
     * material is reported (log, status) and the node goes on metering without its page.
     */
    private void startWeb() {
        WebConfig w = config.web();
        if (w.listen().isEmpty()) {
            return;
        }
        try {
            DeviceIdentity d = identity.device();
            Optional<TlsIdentity> tls = w.tls()
                    ? Optional.of(new TlsIdentity(d.privateKey(), List.of(d.certificate()), d.root())) : Optional.empty();
            web = StatusServer.start(w, this::status, fsyncs, tls, this::clientRefusal, config.device().id());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            webProblem = "cannot serve the status page on " + w.listen().get() + ": " + e.getMessage();
            Logger.error("device {}: {}", config.device().id(), webProblem);
        }
    }

    /** Why a client certificate (already chained to the registrar root by TLS) is refused: the CRL, its profile. */
    private Optional<String> clientRefusal(X509Certificate certificate) {
        var verdict = network.revocation().check(certificate);
        return verdict.isTrusted() ? Optional.empty()
                : Optional.of(verdict.refusal().map(Enum::name).orElse("refused") + ": " + verdict.detail());
    }

    /** Where the status page listens, when it does. */
    public Optional<InetSocketAddress> webAddress() {
        StatusServer w = web;
        return w == null ? Optional.empty() : Optional.of(w.address());
    }

    /** The ledger's fsync latencies since start (for /metrics). */
    public LatencyHistogram fsyncLatency() {
        return fsyncs;
    }

    public NodeStatus status() {
        var head = chain.head();
        List<NodeStatus.MeterStatus> meters = health.values().stream().map(MeterHealth::snapshot).toList();
        String problem = pipeline.lastProblem();
        if (problem == null && !uplink.isConnected()) {
            problem = uplink.lastFailure().map(t -> "broker: " + t.getMessage()).orElse(null);
        }
        String state = pipeline.lastProblem() != null ? "degraded"
                : meters.stream().anyMatch(m -> m.quality() != 0 && (m.quality() & ~16) != 0) ? "degraded" : "running";
        long now = clock.millis();
        List<NodeStatus.PeerStatus> peerStatus = network == null ? List.of() : network.peers().stream()
                .map(p -> new NodeStatus.PeerStatus(p.deviceId(), p.verifiedHeight(), p.state(), p.misbehaviour(),
                        p.lastProblem().orElse(null), peers.tip(p.deviceId()).map(h -> Math.max(0, now - h.header().sealedAtMs())).orElse(-1L)))
                .toList();
        Map<String, Long> refused = new java.util.TreeMap<>();
        if (network != null) {
            network.refusedHandshakesByReason().forEach((r, n) -> refused.put("dtls-" + r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), n));
        }
        refused.put("peer-header", peerStatus.stream().mapToLong(NodeStatus.PeerStatus::misbehaviour).sum());
        StatusServer w = web;
        if (w != null) {
            refused.putAll(w.refusals());
        }
        var crl = network == null ? Optional.<java.security.cert.X509CRL>empty() : network.revocation().crl();
        var ids = new NodeStatus.IdentityStatus(keyFingerprint, identity.device().certificate().getNotAfter().getTime(),
                crl.map(c -> c.getThisUpdate().getTime()).orElse(-1L),
                crl.map(c -> c.getNextUpdate() == null ? -1L : c.getNextUpdate().getTime()).orElse(-1L));
        var heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new NodeStatus(config.device().id(), config.device().subnet(), config.device().role().configName(), state,
                now, chain.nextSeq() - 1, head.height(), head.hash().hex(), chain.unsealedCount(), meters,
                uplink.isConnected(), uplink.session(), outbox.depth(), outbox.publishedUpTo() - 1, outbox.skipped(),
                peerStatus, network == null ? 0 : network.refusedHandshakes(), problem,
                ids, head.header().sealedAtMs(), outbox.published(),
                uplink.isConnected() ? null : uplink.lastFailure().map(Throwable::getMessage).orElse("not connected yet"),
                storage(), refused, alerts.recent(), new NodeStatus.JvmStatus(heap.getUsed(), heap.getMax()), webProblem);
    }

    private NodeStatus.StorageStatus storage() {
        long usable = -1;
        long total = -1;
        try {
            var store = Files.getFileStore(dataDir);
            usable = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException e) {
            // unknown; the pipeline's problem says whether writes work
        }
        return new NodeStatus.StorageStatus(usable, total, pipeline.lastProblem());
    }

    private void writeStatus() {
        try {
            NodeStatus s = status();
            alerts.observe(s);
            Path tmp = dataDir.resolve(STATUS_FILE + ".tmp");
            Files.writeString(tmp, s.toJson());
            Files.move(tmp, dataDir.resolve(STATUS_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Logger.warn("device {}: status not written: {}", config.device().id(), e.getMessage());
        }
    }

    private void prune() {
        try {
            int removed = chain.prune(clock.millis(), outbox.publishedUpTo());
            if (removed > 0) {
                Logger.info("device {}: retention removed {} reading segments", config.device().id(), removed);
            }
        } catch (LedgerStoreException | RuntimeException e) {
            Logger.warn("device {}: pruning failed: {}", config.device().id(), e.getMessage());
        }
    }

    /** The status file a running node writes into {@code dataDir} every 2 s. */
    public static Path statusFile(Path dataDir) {
        return dataDir.resolve(STATUS_FILE);
    }

    /**
     * Stops reading meters, stores what was read, seals it, and waits (up to {@code timeout}) until the
     * broker has acknowledged everything — for a clean hand-over in the demo and in tests.
     * Returns whether the outbox drained.
     */
    public boolean quiesce(java.time.Duration timeout) throws InterruptedException {
        stopMeters();
        try {
            if (chain.unsealedCount() > 0) {
                chain.seal(); // so every reading handed over is also committed by a header
                outbox.wake();
            }
        } catch (LedgerStoreException e) {
            Logger.warn("device {}: final seal failed: {}", config.device().id(), e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outbox.depth() > 0 || !publishedHeadersUpToHead()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            outbox.wake();
            Thread.sleep(50);
        }
        return true;
    }

    private boolean publishedHeadersUpToHead() {
        return outbox.publishedHeight() > chain.head().height();
    }

    private synchronized void stopMeters() {
        if (!metersStopped) {
            metersStopped = true;
            pollers.forEach(MeterPoller::close);
            pipeline.close();
        }
    }

    private boolean metersStopped;

    private boolean closed;

    /** Stops everything in order; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        StatusServer w = web;
        if (w != null) {
            w.close();
        }
        stopMeters();
        outbox.close();
        housekeeping.shutdownNow();
        writeStatus();
        network.close();
        uplink.close();
        try {
            chain.close();
        } catch (LedgerStoreException e) {
            Logger.error("device {}: {}", config.device().id(), e.getMessage());
        }
        peers.close();
    }
}
