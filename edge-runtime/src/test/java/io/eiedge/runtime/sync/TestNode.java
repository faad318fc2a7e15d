package io.eiedge.runtime.sync;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.runtime.config.CoapConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** One runtime as the lead's EdgeNode will assemble it: real Chain + PeerHeaderStore in a temp dir, a PeerNetwork on loopback. */
public final class TestNode implements AutoCloseable {
    final DeviceIdentity identity;
    final Chain chain;
    final PeerHeaderStore store;
    final PeerNetwork net;
    final List<byte[]> alerts;
    final List<byte[]> balances;
    private long energy = 1_000_000;

    private TestNode(DeviceIdentity identity, Chain chain, PeerHeaderStore store, PeerNetwork net, List<byte[]> alerts,
                     List<byte[]> balances) {
        this.identity = identity;
        this.chain = chain;
        this.store = store;
        this.net = net;
        this.alerts = alerts;
        this.balances = balances;
    }

    static TestNode start(DeviceIdentity identity, Path dir, boolean insecure) throws Exception {
        return start(identity, dir, insecure, o -> o);
    }

    static TestNode start(DeviceIdentity identity, Path dir, boolean insecure,
                          java.util.function.UnaryOperator<PeerNetwork.Options> options) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        PeerHeaderStore store = PeerHeaderStore.open(dir.resolve("peers.db"));
        Chain chain = Chain.open(dir.resolve("chain"), new ChainIdentity(identity.deviceId(), new Ed25519PrivateKey(identity.seed()),
                identity.certificateDer()), BlockPolicy.DEFAULT, Retention.DEFAULT, store::drainWitnesses, InstantSource.system());
        List<byte[]> alerts = new CopyOnWriteArrayList<>();
        List<byte[]> balances = new CopyOnWriteArrayList<>();
        PeerNetwork net = PeerNetwork.start(new CoapConfig(0, insecure, List.of()), identity, chain, store,
                identity.validator(Clock.systemUTC()), new PeerNetwork.Sinks(alerts::add, balances::add),
                options.apply(PeerNetwork.Options.defaults().withBind(new InetSocketAddress("127.0.0.1", 0))
                        .withSyncInterval(Duration.ofMillis(400))));
        return new TestNode(identity, chain, store, net, alerts, balances);
    }

    String id() {
        return identity.deviceId();
    }

    /** Appends {@code readings} readings of a grid meter (import register rising 1.5 Wh each) and seals a block. */
    SignedHeader block(int readings) throws Exception {
        for (int i = 0; i < readings; i++) {
            energy += 15;
            chain.append(ReadingDraft.of("grid", System.currentTimeMillis(), ClockStatus.SYNCHRONISED,
                    Map.of("1-0:1.8.0", new ScaledValue(energy, -1, "Wh")), Quality.GOOD));
        }
        return chain.seal();
    }

    void peerWith(TestNode other) {
        net.addPeer(Optional.of(other.id()), other.net.loopbackUri());
    }

    long heightOf(TestNode other) {
        return store.state(other.id()).verifiedHeight();
    }

    private boolean closed;

    /** Closes the node (a second call does nothing: a test may switch a node off before its end). */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        net.close();
        chain.close();
        store.close();
    }
}
