package io.eiedge.bench.sync;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.identity.Role;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Real registrar-issued identities and in-memory chains of signed headers for the sync benchmarks. */
final class BenchSubnet {
    private static final char[] PASS = "benchmark registrar".toCharArray();
    private final Path dir;
    private final Registrar registrar;

    BenchSubnet(Path dir) throws Exception {
        this.dir = dir;
        Registrar.init(dir.resolve("registrar"), "bench registrar", PASS, Duration.ofDays(30), Clock.systemUTC(), "bench");
        registrar = Registrar.open(dir.resolve("registrar"), Clock.systemUTC());
    }

    DeviceIdentity device(String id, Role role) throws Exception {
        Path home = dir.resolve("devices").resolve(id);
        IdentityStore store = new IdentityStore(home, Clock.systemUTC());
        store.keygen(null, false, false);
        DeviceName name = new DeviceName(id, "bench", role);
        var cert = registrar.sign(store.csr(name, PassphraseSource.none()).pem(), id, false, Duration.ofDays(10), PassphraseSource.of(PASS), "bench");
        Path file = home.resolve("issued.pem");
        Files.writeString(file, Certificates.pem(Certificates.parse(cert.der(), "issued")), StandardCharsets.US_ASCII);
        store.install(file, registrar.dir().resolve(Registrar.ROOT_CERT), Optional.of(name), PassphraseSource.none());
        return store.load(PassphraseSource.none());
    }

    /** A chain of {@code count} headers (genesis included), shaped like a 4-meter device's: 4 energy registers, 2 witnesses. */
    static List<SignedHeader> chain(DeviceIdentity id, int count) {
        List<SignedHeader> out = new ArrayList<>(count);
        sign(id, count, out::add);
        return out;
    }

    /** The same chain as {@link #chain}, kept only as encoded COSE (a tenth of the memory of decoded headers). */
    static List<byte[]> encodedChain(DeviceIdentity id, int count) {
        List<byte[]> out = new ArrayList<>(count);
        sign(id, count, h -> out.add(h.cose().encoded()));
        return out;
    }

    private static void sign(DeviceIdentity id, int count, Consumer<SignedHeader> sink) {
        Ed25519PrivateKey key = new Ed25519PrivateKey(id.seed());
        Hash32 certHash = Hash32.sha256(id.certificateDer());
        SignedHeader prev = SignedHeader.sign(new Header(id.deviceId(), 0, Hash32.ZERO, MerkleTree.root(List.of()), 1, 0, 1_700_000_000_000L,
                Collections.emptySortedMap(), List.of(), certHash), key);
        sink.accept(prev);
        for (int h = 1; h < count; h++) {
            TreeMap<String, ScaledValue> summary = new TreeMap<>();
            for (String meter : List.of("grid", "pv", "battery", "heat")) {
                summary.put(meter + "/1-0:1.8.0", new ScaledValue(1_000_000L + 37L * h, -1, "Wh"));
            }
            List<io.eiedge.ledger.model.Witness> witnesses = List.of(
                    new io.eiedge.ledger.model.Witness("router-1", h, Hash32.sha256(("w1" + h).getBytes())),
                    new io.eiedge.ledger.model.Witness("iface-2", h, Hash32.sha256(("w2" + h).getBytes())));
            SignedHeader next = SignedHeader.sign(new Header(id.deviceId(), h, prev.hash(), Hash32.sha256(("root" + h).getBytes()),
                    prev.header().nextSeq(), 1200, 1_700_000_000_000L + 300_000L * h, summary, witnesses, certHash), key);
            sink.accept(next);
            prev = next;
        }
    }
}
