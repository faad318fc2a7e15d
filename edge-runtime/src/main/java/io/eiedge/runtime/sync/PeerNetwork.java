package io.eiedge.runtime.sync;

import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.ledger.peers.PeerState;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerVerdict;
import io.eiedge.provisioning.trust.Refusal;
import io.eiedge.runtime.balance.BalancePublisher;
import io.eiedge.runtime.coap.CoapSettings;
import io.eiedge.runtime.coap.LedgerView;
import io.eiedge.runtime.coap.PeerEndpoint;
import io.eiedge.runtime.coap.PeerServer;
import io.eiedge.runtime.coap.PeerServices;
import io.eiedge.runtime.coap.PeerServices.PushAnswer;
import io.eiedge.runtime.coap.PeerServices.PushAnswer.Status;
import io.eiedge.runtime.config.CoapConfig;
import io.eiedge.runtime.peer.RequestGate;
import org.eclipse.californium.elements.config.Configuration;
import org.tinylog.Logger;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node's peer network: the CoAP(S) server of DESIGN's resource table, header sync with every
 * known peer (headers-first catch-up, then Observe on their heads), the MQTT header feed, pushes,
 * revocation, equivocation alerts and — for the exchange role — the signed subnet balance after
 * every own block. One endpoint, one sync thread pool of two, one callback thread.
 *
 * <pre>{@code
 * PeerNetwork net = PeerNetwork.start(config.coap(), identity, chain, peerStore, validator,
 *         new PeerNetwork.Sinks(alert -> uplink.publish(topics.alert(), alert, false),
 *                               balance -> uplink.publish(topics.balance(), balance, true)),
 *         PeerNetwork.Options.defaults());
 * uplink.subscribe(net.mqttFeed("ei/v1").filters(), net.mqttFeed("ei/v1"));   // optional
 * ...
 * net.close();
 * }</pre>
 * The chain must have been opened with {@code peerStore::drainWitnesses} as its witness supplier.
 */
public final class PeerNetwork implements AutoCloseable {

    /** Where the network publishes: equivocation evidence (alert topic) and the balance (exchange only, retained). */
    public record Sinks(Consumer<byte[]> alert, Consumer<byte[]> balance) {
        public static Sinks none() {
            return new Sinks(b -> { }, b -> { });
        }
    }

    /**
     * @param bind         address of the CoAP endpoint (default: all interfaces, the configured port)
     * @param syncInterval how often every peer is caught up, its CRL fetched and its /peers read
     * @param health       the /health JSON (the node's status); empty: a summary of the chain and peers
     * @param discover     add peers that known peers list in /peers
     * @param multicast    find peers on the link by asking this multicast group every round, whatever
     *                     {@code coap.multicast} says (which uses {@link #ALL_COAP_NODES}); for labs and tests
     */
    public record Options(Optional<InetSocketAddress> bind, Duration syncInterval, Optional<Supplier<String>> health,
                          boolean discover, Optional<InetSocketAddress> multicast, InstantSource clock) {
        public static Options defaults() {
            return new Options(Optional.empty(), Duration.ofSeconds(30), Optional.empty(), true, Optional.empty(), InstantSource.system());
        }

        public Options withBind(InetSocketAddress a) {
            return new Options(Optional.of(a), syncInterval, health, discover, multicast, clock);
        }

        public Options withSyncInterval(Duration d) {
            return new Options(bind, d, health, discover, multicast, clock);
        }

        public Options withHealth(Supplier<String> h) {
            return new Options(bind, syncInterval, Optional.of(h), discover, multicast, clock);
        }

        public Options withDiscovery(boolean on) {
            return new Options(bind, syncInterval, health, on, multicast, clock);
        }

        public Options withMulticast(InetSocketAddress group) {
            return new Options(bind, syncInterval, health, discover, Optional.of(group), clock);
        }
    }

    /** CoAP's All-CoAP-Nodes group (224.0.1.187) on port 5683, where {@code coap.multicast} looks for peers. */
    public static final InetSocketAddress ALL_COAP_NODES = MulticastDiscovery.ALL_COAP_NODES;

    private final CoapConfig config;
    private final DeviceIdentity identity;
    private final LedgerView ledger;
    private final PeerHeaderStore store;
    private final Options options;
    private final Revocation revocation;
    private final PeerBook book = new PeerBook();
    private final HeaderIntake intake;
    private final PeerEndpoint endpoint;
    private final PeerEndpoint clientEndpoint;
    private final RequestGate gate;
    private final PeerServer server;
    private final ScheduledExecutorService rounds;
    private final ScheduledThreadPoolExecutor callbacks;
    /** After each own seal: notify observers, compute the exchange's balance — never behind a slow peer's round. */
    private final ExecutorService seals;
    /** Checks fetched header ranges (signatures), one thread per core, gone when idle. */
    private final java.util.concurrent.ThreadPoolExecutor verifiers;
    private static final int ROUND_THREADS = 4;
    private final Map<URI, PeerLink> links = new ConcurrentHashMap<>();
    private final Optional<BalancePublisher> balance;
    private final AtomicLong refusedHandshakes = new AtomicLong();
    private final Map<Refusal, AtomicLong> handshakeRefusals = new ConcurrentHashMap<>();
    private final List<Consumer<SignedHeader>> balanceListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile byte[] lastBalance;
    private volatile MulticastDiscovery multicast;
    private volatile boolean closed;

    private PeerNetwork(CoapConfig config, DeviceIdentity identity, LedgerView ledger, PeerHeaderStore store,
                        PeerCertificateValidator validator, Sinks sinks, Options options) {
        this.config = config;
        this.identity = identity;
        this.ledger = ledger;
        this.store = store;
        this.options = options;
        this.revocation = new Revocation(validator, options.clock());
        this.intake = new HeaderIntake(identity.deviceId(), identity.subnet(), store, revocation, book, sinks.alert(), options.clock());
        Configuration californium = CoapSettings.configuration();
        Configuration serverConfig = CoapSettings.server();
        InetSocketAddress bind = options.bind().orElse(new InetSocketAddress(config.port()));
        InetSocketAddress clientBind = new InetSocketAddress(bind.getAddress(), 0);
        this.endpoint = config.insecure() ? PeerEndpoint.insecure(serverConfig, bind)
                : PeerEndpoint.secure(serverConfig, bind, identity.privateKey(), identity.certificate(), revocation::validator,
                this::handshakeRefused, true);
        this.gate = new RequestGate(identity.deviceId(), options.clock());
        endpoint.endpoint().addInterceptor(gate);
        this.clientEndpoint = config.insecure() ? PeerEndpoint.insecure(californium, clientBind)
                : PeerEndpoint.secure(californium, clientBind, identity.privateKey(), identity.certificate(), revocation::validator,
                this::handshakeRefused, false);
        this.server = new PeerServer(serverConfig, endpoint, ledger, identity.certificateDer(), new Services());
        // rounds wait on the network, not the CPU: four threads let live peers go on while up to
        // three peers that do not answer time out
        this.rounds = Executors.newScheduledThreadPool(ROUND_THREADS,
                r -> Thread.ofPlatform().daemon().name("peer-sync-" + identity.deviceId()).unstarted(r));
        this.callbacks = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("coap-client-" + identity.deviceId()).unstarted(r));
        this.seals = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("peer-seal-" + identity.deviceId()).unstarted(r));
        int cores = Runtime.getRuntime().availableProcessors();
        this.verifiers = new java.util.concurrent.ThreadPoolExecutor(cores, cores, 30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("peer-verify-" + identity.deviceId() + "-", 1).factory());
        verifiers.allowCoreThreadTimeOut(true);
        this.balance = identity.role() == Role.EXCHANGE
                ? Optional.of(new BalancePublisher(identity.subnet(), new Ed25519PrivateKey(identity.seed()), this::countedPeerHeads,
                sinks.balance(), options.clock()))
                : Optional.empty();
    }

    /** Starts the server and the sync of the configured peers. */
    public static PeerNetwork start(CoapConfig config, DeviceIdentity identity, Chain chain, PeerHeaderStore peerStore,
                                    PeerCertificateValidator validator, Sinks sinks, Options options) {
        return start(config, identity, LedgerView.of(chain), peerStore, validator, sinks, options);
    }

    public static PeerNetwork start(CoapConfig config, DeviceIdentity identity, LedgerView ledger, PeerHeaderStore peerStore,
                                    PeerCertificateValidator validator, Sinks sinks, Options options) {
        PeerNetwork net = new PeerNetwork(config, identity, ledger, peerStore, validator, sinks, options);
        net.revocation.onApplied(net::applyCrl);
        ledger.onSeal(h -> net.seals.execute(() -> net.sealed(h)));
        net.server.start();
        try {
            net.clientEndpoint.endpoint().start();
        } catch (java.io.IOException e) {
            net.close();
            throw new IllegalStateException("cannot open the CoAP client endpoint: " + e.getMessage(), e);
        }
        for (CoapConfig.Peer p : config.peers()) {
            net.link(Optional.of(p.id()), p.uri());
        }
        // coap.multicast turns it on with CoAP's group; a group in the options (a lab, a test) too
        options.multicast().or(() -> config.multicast() ? Optional.of(ALL_COAP_NODES) : Optional.empty()).ifPresent(net::joinMulticast);
        long every = Math.max(100, options.syncInterval().toMillis());
        net.rounds.scheduleWithFixedDelay(net::syncRound, 0, every, TimeUnit.MILLISECONDS);
        Logger.info("device {}: peer network on {}://{} with {} configured peer(s)", identity.deviceId(), net.endpoint.scheme(),
                net.endpoint.address().getHostString() + ":" + net.endpoint.address().getPort(), config.peers().size());
        return net;
    }

    /** The address the endpoint is bound to (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return endpoint.address();
    }

    /** This node's base URI as peers dial it on loopback (tests, demo). */
    public URI loopbackUri() {
        return URI.create(endpoint.scheme() + "://127.0.0.1:" + address().getPort());
    }

    public Revocation revocation() {
        return revocation;
    }

    public HeaderIntake intake() {
        return intake;
    }

    /** /peers as values. */
    public List<PeerDirectory.PeerStatus> peers() {
        return PeerDirectory.statuses(store, book);
    }

    /** DTLS handshakes refused since start (unknown root, revoked, expired…). */
    public long refusedHandshakes() {
        return refusedHandshakes.get();
    }

    /** DTLS handshakes refused since start, by the validator's reason (e.g. {@code NOT_FROM_REGISTRAR}). */
    public Map<Refusal, Long> refusedHandshakesByReason() {
        Map<Refusal, Long> out = new java.util.EnumMap<>(Refusal.class);
        handshakeRefusals.forEach((r, n) -> out.put(r, n.get()));
        return out;
    }

    /** CoAP requests dropped by the per-sender rate limits since start. */
    public long droppedRequests() {
        return gate.dropped();
    }

    /** The newest signed balance published (exchange role), or null. */
    public byte[] lastBalance() {
        return lastBalance;
    }

    /** Adds a peer to sync with (besides the configured ones). */
    public void addPeer(Optional<String> expectedId, URI uri) {
        link(expectedId, uri).ifPresent(l -> rounds.execute(l::round));
    }

    /** Runs a sync round with every peer now (they also run every {@code syncInterval}). */
    public void syncNow() {
        rounds.execute(this::syncRound);
    }

    /**
     * The MQTT side: subscribe the uplink to {@link MqttHeaderFeed#filters()} and hand every
     * message to the feed (it never throws and returns quickly).
     */
    public MqttHeaderFeed mqttFeed(String topicPrefix) {
        return new MqttHeaderFeed(topicPrefix, identity.subnet(), identity.deviceId(), intake, revocation, this::syncNow);
    }

    private Optional<PeerLink> link(Optional<String> expectedId, URI uri) {
        if (closed || uri == null || !endpoint.scheme().equals(uri.getScheme())) {
            if (uri != null && !closed) {
                Logger.warn("device {}: peer {} at {} ignored: this node speaks {}", identity.deviceId(), expectedId.orElse("?"), uri,
                        endpoint.scheme());
            }
            return Optional.empty();
        }
        if (expectedId.filter(identity.deviceId()::equals).isPresent() || isSelf(uri)) {
            return Optional.empty();
        }
        if (links.containsKey(uri)) {
            return Optional.empty();
        }
        PeerLink l = new PeerLink(expectedId, uri, clientEndpoint, intake, revocation, book, rounds, verifiers,
                callbacks);
        links.put(uri, l);
        expectedId.ifPresent(id -> book.address(id, uri));
        return Optional.of(l);
    }

    private boolean isSelf(URI uri) {
        return uri.getPort() == address().getPort() && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost")
                || uri.getHost().equals("::1") || uri.getHost().equals("[::1]"));
    }

    private void joinMulticast(InetSocketAddress group) {
        try {
            multicast = MulticastDiscovery.start(group, identity.deviceId(), identity.subnet(), endpoint.scheme(), address().getPort());
        } catch (java.io.IOException | RuntimeException e) {
            // no multicast route, or the group port taken: configured and /peers discovery still work
            Logger.warn("device {}: multicast discovery on {} is off: {}", identity.deviceId(), group, e.getMessage());
        }
    }

    private void syncRound() {
        if (closed) {
            return;
        }
        MulticastDiscovery m = multicast;
        if (m != null) {
            m.query(identity.subnet(), (id, uri) -> link(Optional.of(id), uri).ifPresent(l -> {
                Logger.info("device {}: found peer {} at {} by multicast", identity.deviceId(), id, uri);
                rounds.execute(l::round);
            }));
        }
        for (PeerLink l : new ArrayList<>(links.values())) {
            if (!l.claimPeriodicRound()) {
                continue; // its last round is still queued or running, or it is backing off
            }
            rounds.execute(() -> {
                try {
                    if (l.round() && l.device().isPresent()) {
                        l.crl().ifPresent(c -> revocation.offer(c, "CoAP /crl of " + l.name()));
                        if (options.discover()) {
                            l.peers().ifPresent(p -> PeerDirectory.addresses(p).forEach((id, uri) -> link(Optional.of(id), uri)));
                        }
                    }
                } finally {
                    l.releasePeriodicRound();
                }
            });
        }
    }

    private void sealed(SignedHeader head) {
        server.headChanged();
        balance.ifPresent(b -> lastBalance = b.sealed(head));
    }

    /** Newest verified header of every peer that counts for the balance: our subnet, not frozen, not revoked. */
    private List<SignedHeader> countedPeerHeads() {
        List<SignedHeader> out = new ArrayList<>();
        for (PeerState s : store.states()) {
            if (s.frozen() || s.verifiedHeight() < 0) {
                continue;
            }
            Optional<PeerBook.Entry> e = book.find(s.deviceId());
            if (e.map(PeerBook.Entry::revoked).orElse(false)
                    || e.flatMap(PeerBook.Entry::device).map(d -> !d.subnet().equals(identity.subnet())).orElse(false)) {
                continue;
            }
            store.tip(s.deviceId()).ifPresent(out::add);
        }
        return out;
    }

    private void handshakeRefused(InetSocketAddress peer, PeerVerdict verdict) {
        refusedHandshakes.incrementAndGet();
        verdict.refusal().ifPresent(r -> handshakeRefusals.computeIfAbsent(r, k -> new AtomicLong()).incrementAndGet());
        verdict.peer().ifPresent(n -> book.problem(n.deviceId(), "DTLS handshake refused: " + verdict.detail()));
    }

    /** A new CRL is in force: drop revoked peers from DTLS, sync and observation at once. */
    private void applyCrl(PeerCertificateValidator validator) {
        java.util.function.Predicate<X509Certificate> revoked =
                cert -> validator.check(cert).refusal().filter(r -> r == Refusal.REVOKED).isPresent();
        endpoint.dropConnections(revoked);
        clientEndpoint.dropConnections(revoked);
        for (PeerLink l : new ArrayList<>(links.values())) {
            Optional<TrustedDevice> d = l.device();
            if (d.isPresent() && revocation.isRevoked(d.get())) {
                Logger.warn("device {}: peer {} is revoked; dropped from DTLS and sync", identity.deviceId(), d.get().deviceId());
                book.revoked(d.get().deviceId(), true);
                links.remove(l.base());
                l.close();
            }
        }
        for (PeerBook.Entry e : book.all()) {
            e.device().filter(revocation::isRevoked).ifPresent(d -> book.revoked(d.deviceId(), true));
        }
    }

    @Override
    public void close() {
        closed = true;
        rounds.shutdownNow();
        links.values().forEach(PeerLink::close);
        links.clear();
        server.close();
        clientEndpoint.endpoint().destroy();
        callbacks.shutdownNow();
        seals.shutdownNow();
        verifiers.shutdownNow();
        MulticastDiscovery m = multicast;
        if (m != null) {
            m.close();
        }
    }

    /** What the resources ask of the network. */
    private final class Services implements PeerServices {
        @Override
        public Optional<String> refusal(Optional<X509Certificate> requester) {
            if (requester.isEmpty()) {
                return Optional.empty(); // plain CoAP (insecure flag): read-only access for anyone
            }
            PeerVerdict v = revocation.check(requester.get());
            return v.isTrusted() ? Optional.empty() : Optional.of(v.refusal().orElseThrow() + ": " + v.detail());
        }

        @Override
        public PushAnswer push(Optional<X509Certificate> requester, List<byte[]> headers) {
            if (headers.isEmpty()) {
                return new PushAnswer(Status.BAD_REQUEST, "no headers pushed");
            }
            TrustedDevice device;
            if (requester.isPresent()) {
                try {
                    device = revocation.trust(requester.get());
                } catch (VerificationException e) {
                    return new PushAnswer(Status.FORBIDDEN, e.getMessage());
                }
            } else {
                // plain CoAP proves nobody: only a device whose certificate we already trust may push
                String claimed;
                try {
                    claimed = SignedHeader.decode(headers.get(0)).deviceId();
                } catch (LedgerFormatException e) {
                    return new PushAnswer(Status.BAD_REQUEST, "header 0: " + e.getMessage());
                }
                Optional<TrustedDevice> known = book.find(claimed).flatMap(PeerBook.Entry::device);
                if (known.isEmpty()) {
                    return new PushAnswer(Status.FORBIDDEN, "the certificate of " + claimed + " is not known here yet (read from its /id or MQTT)");
                }
                device = known.get();
            }
            if (store.state(device.deviceId()).frozen()) {
                return new PushAnswer(Status.FORBIDDEN, device.deviceId() + " is frozen after equivocation (revoke or clear it)");
            }
            HeaderIntake.Result r = intake.offer("push", device, headers);
            if (r.equivocation().isPresent()) {
                return new PushAnswer(Status.CONFLICT, "equivocation: " + device.deviceId() + " signed two headers for height "
                        + r.equivocation().get().height() + "; evidence kept and published, " + device.deviceId() + " frozen");
            }
            if (r.refusal().isPresent()) {
                if (r.behind()) {
                    book.find(device.deviceId()).flatMap(PeerBook.Entry::uri).map(links::get).ifPresent(l -> rounds.execute(l::round));
                }
                return new PushAnswer(r.misbehaviour() ? Status.BAD_REQUEST : Status.CONFLICT,
                        r.accepted() + " accepted, then refused: " + r.refusal().get());
            }
            return new PushAnswer(Status.CHANGED, r.accepted() + " accepted, " + r.duplicates() + " already held; verified height "
                    + r.verifiedHeight());
        }

        @Override
        public byte[] peers() {
            return PeerDirectory.encode(PeerNetwork.this.peers());
        }

        @Override
        public Optional<byte[]> crl() {
            return revocation.crlDer();
        }

        @Override
        public String health() {
            if (options.health().isPresent()) {
                return options.health().get().get();
            }
            SignedHeader head = ledger.head();
            List<PeerDirectory.PeerStatus> ps = PeerNetwork.this.peers();
            long following = ps.stream().filter(p -> p.state().equals("following")).count();
            long frozen = ps.stream().filter(p -> p.state().equals("frozen")).count();
            return "{\"device\":\"" + identity.deviceId() + "\",\"state\":\"" + (frozen > 0 ? "degraded" : "running")
                    + "\",\"seq\":" + (head.header().firstSeq() + head.header().count() - 1) + ",\"height\":" + head.height()
                    + ",\"peers\":" + ps.size() + ",\"following\":" + following + ",\"frozen\":" + frozen
                    + ",\"refusedHandshakes\":" + refusedHandshakes.get() + "}";
        }
    }
}
