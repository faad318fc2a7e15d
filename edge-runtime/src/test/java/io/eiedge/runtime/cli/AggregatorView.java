package io.eiedge.runtime.cli;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.runtime.testsupport.MosquittoSub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What an aggregator subscribed to one device has received, as it would judge it: every reading's
 * signature checked against the device's certificate, and the first content seen for each seq and
 * each height kept. A later message with the same seq or height and other bytes is a
 * contradiction — the device signed one number twice — and is recorded, never overwritten.
 */
final class AggregatorView {
    private final MosquittoSub sub;
    private final LedgerVerifier verifier;
    private final TrustedDevice device;
    private final Map<Long, String> readings = new HashMap<>();
    private final Map<Long, String> headers = new HashMap<>();
    private final List<String> contradictions = new ArrayList<>();
    private int consumed;

    AggregatorView(MosquittoSub sub, LedgerVerifier verifier, TrustedDevice device) {
        this.sub = sub;
        this.verifier = verifier;
        this.device = device;
    }

    /** Takes in what the subscriber received since the last call. */
    synchronized AggregatorView update() {
        List<MosquittoSub.Message> all = sub.received();
        for (MosquittoSub.Message m : all.subList(consumed, all.size())) {
            byte[] cose = HexFormat.of().parseHex(m.payload());
            try {
                if (m.topic().endsWith("/reading")) {
                    long seq = verifier.verifyReading(cose, device).seq();
                    String before = readings.putIfAbsent(seq, m.payload());
                    if (before != null && !before.equals(m.payload())) {
                        contradictions.add("seq " + seq + " arrived with two different contents (message " + consumed + ")");
                    }
                } else if (m.topic().endsWith("/header")) {
                    long height = SignedHeader.decode(cose).height();
                    String before = headers.putIfAbsent(height, m.payload());
                    if (before != null && !before.equals(m.payload())) {
                        contradictions.add("height " + height + " arrived with two different headers (message " + consumed + ")");
                    }
                }
            } catch (Exception e) {
                contradictions.add("message " + consumed + " on " + m.topic() + " does not verify: " + e.getMessage());
            }
            consumed++;
        }
        return this;
    }

    /** Seqs or heights that reached the subscriber with two contents, and messages that did not verify. */
    synchronized List<String> contradictions() {
        return List.copyOf(contradictions);
    }

    /** The highest seq received so far (0 for none). */
    synchronized long highestSeq() {
        return readings.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    synchronized long highestHeight() {
        return headers.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** The first content received for each seq, as hex. */
    synchronized Map<Long, String> readings() {
        return Map.copyOf(readings);
    }

    synchronized Map<Long, String> headers() {
        return Map.copyOf(headers);
    }

    static String hex(SignedReading r) {
        return HexFormat.of().formatHex(r.cose().encoded());
    }
}
