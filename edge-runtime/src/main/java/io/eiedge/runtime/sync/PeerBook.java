package io.eiedge.runtime.sync;

import io.eiedge.ledger.verify.TrustedDevice;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Peers this node knows of, by device id: their certificate once trusted, where to reach them,
 * the last problem seen and refusals counted before the header store saw anything (oversize,
 * wrong subnet). Thread-safe.
 */
public final class PeerBook {

    /** One peer as the network layer sees it. */
    public static final class Entry {
        private final String deviceId;
        private volatile TrustedDevice device;
        private volatile URI uri;
        private volatile String lastProblem;
        private volatile long lastContactMs;
        private volatile boolean revoked;
        private volatile boolean following;
        private final java.util.concurrent.atomic.AtomicLong refusedEarly = new java.util.concurrent.atomic.AtomicLong();

        Entry(String deviceId) {
            this.deviceId = deviceId;
        }

        public String deviceId() {
            return deviceId;
        }

        public Optional<TrustedDevice> device() {
            return Optional.ofNullable(device);
        }

        public Optional<URI> uri() {
            return Optional.ofNullable(uri);
        }

        public Optional<String> lastProblem() {
            return Optional.ofNullable(lastProblem);
        }

        public long lastContactMs() {
            return lastContactMs;
        }

        public boolean revoked() {
            return revoked;
        }

        public boolean following() {
            return following;
        }

        /** Misbehaviour refused before reaching the header store (oversize, wrong subnet, …). */
        public long refusedEarly() {
            return refusedEarly.get();
        }
    }

    private final Map<String, Entry> peers = new ConcurrentHashMap<>();

    public Entry entry(String deviceId) {
        return peers.computeIfAbsent(deviceId, Entry::new);
    }

    public Optional<Entry> find(String deviceId) {
        return Optional.ofNullable(peers.get(deviceId));
    }

    public List<Entry> all() {
        return new ArrayList<>(peers.values());
    }

    void trusted(TrustedDevice device, long nowMs) {
        Entry e = entry(device.deviceId());
        e.device = device;
        e.lastContactMs = nowMs;
    }

    void address(String deviceId, URI uri) {
        entry(deviceId).uri = uri;
    }

    void problem(String deviceId, String problem) {
        entry(deviceId).lastProblem = problem;
    }

    /** It answers again after rounds it did not: its "no answer" problem is over. */
    void answersAgain(String deviceId) {
        entry(deviceId).lastProblem = null;
    }

    void refusedEarly(String deviceId) {
        entry(deviceId).refusedEarly.incrementAndGet();
    }

    void revoked(String deviceId, boolean revoked) {
        entry(deviceId).revoked = revoked;
    }

    void following(String deviceId, boolean following) {
        entry(deviceId).following = following;
    }
}
