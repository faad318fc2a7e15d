package io.eiedge.runtime.watch;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.verify.TrustedDevice;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The watcher's bookkeeping for one device; mutated only under the watcher's lock. */
final class DeviceLedger {
    /** Seqs remembered with their reading's hash, to tell a re-delivery from a second, different reading. */
    static final int DIGEST_WINDOW = 1 << 16;
    /** Readings kept for the Merkle check of the block that will hold them. */
    static final int MAX_PENDING = 1 << 16;
    /** Heights remembered with their header's hash, to tell a re-delivery from equivocation. */
    static final int HEADER_WINDOW = 1 << 12;

    final String device;
    String subnet;
    String role = "";
    String state = "";

    /** Trusted certificates of this device, by kid (its key) and by certificate hash. */
    final Map<Hash32, TrustedDevice> byKid = new HashMap<>();
    final Map<Hash32, TrustedDevice> byCertHash = new HashMap<>();
    /** Kids of certificates the registrar revoked. */
    final Set<Hash32> revokedKids = new HashSet<>();

    final SeqRanges received = new SeqRanges();
    final LinkedHashMap<Long, Hash32> digests = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Hash32> eldest) {
            return size() > DIGEST_WINDOW;
        }
    };
    final TreeMap<Long, SignedReading> pending = new TreeMap<>();
    final LinkedHashMap<Long, Hash32> headerHashes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Hash32> eldest) {
            return size() > HEADER_WINDOW;
        }
    };
    /** Verified headers whose block's readings have not all arrived yet, by height. */
    final TreeMap<Long, SignedHeader> waitingBlocks = new TreeMap<>();

    SignedHeader head;
    long announcedUpTo; // highest seq a verified header says exists
    long readingsOk;
    long forged;
    long duplicates;
    long headersOk;
    long headersBad;
    long headerGaps;
    long blocksVerified;
    long lastSeq;
    int held;
    SortedMap<String, ScaledValue> energy = new TreeMap<>();

    DeviceLedger(String device, String subnet) {
        this.device = device;
        this.subnet = subnet;
    }

    boolean trusted() {
        return !byKid.isEmpty();
    }

    boolean revoked() {
        return byKid.isEmpty() && !revokedKids.isEmpty();
    }

    /** Readings missing so far: holes between the first seq seen and the newest seq known to exist. */
    long missing() {
        return received.isEmpty() ? 0 : received.missing(expectedUpTo());
    }

    long expectedUpTo() {
        return Math.max(received.highest(), announcedUpTo);
    }

    DeviceSummary summary() {
        return new DeviceSummary(subnet, device, role, state, trusted(), revoked(), readingsOk, forged, missing(),
                duplicates, headersOk, headersBad, headerGaps, blocksVerified, lastSeq,
                head == null ? -1 : head.height(), held, new TreeMap<>(energy));
    }
}
