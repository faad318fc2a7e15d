package io.eiedge.bench.sync;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.runtime.coap.LedgerView;
import io.eiedge.runtime.config.CoapConfig;
import io.eiedge.runtime.sync.PeerNetwork;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Memory of a node holding 50 peers' chains: a running PeerNetwork whose store holds 50 peers × 2,016
 * headers (a week of 5-minute blocks, DESIGN's peer retention), each verified through the store.
 * Prints the heap in use after GC (before/after) and the store's size on disk.
 * {@code java -cp 'benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*' -Xmx64m io.eiedge.bench.sync.PeerMemoryProbe}
 */
public final class PeerMemoryProbe {
    static final int PEERS = 50;
    static final int HEADERS_PER_PEER = 2016;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("eiedge-peer-memory");
        BenchSubnet subnet = new BenchSubnet(dir);
        DeviceIdentity self = subnet.device("exchange-0", Role.EXCHANGE);
        PeerHeaderStore store = PeerHeaderStore.open(dir.resolve("peers.db"));
        PeerNetwork net = PeerNetwork.start(new CoapConfig(0, false, List.of()), self, LedgerView.of(BenchSubnet.encodedChain(self, 1)), store,
                self.validator(Clock.systemUTC()), PeerNetwork.Sinks.none(),
                PeerNetwork.Options.defaults().withBind(new InetSocketAddress("127.0.0.1", 0)).withSyncInterval(Duration.ofHours(1)));
        long before = usedAfterGc();
        LedgerVerifier verifier = new LedgerVerifier(self.root(), null, InstantSource.system());
        long intakeNanos = 0;
        for (int p = 1; p <= PEERS; p++) {
            DeviceIdentity peer = subnet.device("router-" + p, Role.ROUTER);
            TrustedDevice d = verifier.trust(peer.certificateDer());
            List<SignedHeader> chain = BenchSubnet.chain(peer, HEADERS_PER_PEER);
            for (int from = 0; from < chain.size(); from += 500) {
                List<byte[]> batch = new ArrayList<>();
                chain.subList(from, Math.min(chain.size(), from + 500)).forEach(h -> batch.add(h.cose().encoded()));
                long t0 = System.nanoTime();
                net.intake().offer("probe", d, batch);
                intakeNanos += System.nanoTime() - t0;
            }
        }
        long after = usedAfterGc();
        long disk;
        try (Stream<Path> files = Files.walk(dir.resolve("peers.db"))) { // a folder of per-peer logs
            disk = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("[memory] node holding %d peers x %d headers (%d verified, %d listed in /peers): heap after GC %.1f MiB "
                        + "(was %.1f MiB with no peers, +%.1f MiB); peer store on disk %.1f MiB; max heap %.0f MiB%n",
                PEERS, HEADERS_PER_PEER, store.states().stream().mapToLong(s -> s.verifiedHeight() + 1).sum(), net.peers().size(),
                after / 1048576.0, before / 1048576.0, (after - before) / 1048576.0, disk / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.printf("[intake] without network: %d headers verified+stored through HeaderIntake in %.1f s = %.0f headers/s%n",
                PEERS * HEADERS_PER_PEER, intakeNanos / 1e9, PEERS * HEADERS_PER_PEER / (intakeNanos / 1e9));
        net.close();
        store.close();
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
