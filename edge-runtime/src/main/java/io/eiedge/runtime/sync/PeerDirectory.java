package io.eiedge.runtime.sync;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.peers.PeerHeaderStore;
import io.eiedge.ledger.peers.PeerState;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code /peers} view: every peer known to the header store or the network layer, as
 * {@code [* {1: device id, 2: verified height (-1: none), 3: state, 4: misbehaviour count, ? 5: coap uri}]}
 * with state one of {@code frozen}, {@code revoked}, {@code following}, {@code synced},
 * {@code unreachable}, {@code known}.
 */
public final class PeerDirectory {

    /** One row of /peers. */
    public record PeerStatus(String deviceId, long verifiedHeight, String state, long misbehaviour, Optional<URI> uri,
                             Optional<String> lastProblem) {
    }

    private PeerDirectory() {
    }

    public static List<PeerStatus> statuses(PeerHeaderStore store, PeerBook book) {
        Map<String, PeerStatus> out = new TreeMap<>();
        for (PeerState s : store.states()) {
            out.put(s.deviceId(), status(s, book.find(s.deviceId())));
        }
        for (PeerBook.Entry e : book.all()) {
            out.computeIfAbsent(e.deviceId(), id -> status(store.state(id), Optional.of(e)));
        }
        return new ArrayList<>(out.values());
    }

    private static PeerStatus status(PeerState s, Optional<PeerBook.Entry> entry) {
        String state;
        if (s.frozen()) {
            state = "frozen";
        } else if (entry.map(PeerBook.Entry::revoked).orElse(false)) {
            state = "revoked";
        } else if (entry.map(PeerBook.Entry::following).orElse(false)) {
            state = "following";
        } else if (entry.flatMap(PeerBook.Entry::lastProblem).isPresent() && s.verifiedHeight() < 0) {
            state = "unreachable";
        } else if (s.verifiedHeight() >= 0) {
            state = "synced";
        } else {
            state = "known";
        }
        long early = entry.map(PeerBook.Entry::refusedEarly).orElse(0L);
        return new PeerStatus(s.deviceId(), s.verifiedHeight(), state, s.misbehaviour() + early,
                entry.flatMap(PeerBook.Entry::uri), entry.flatMap(PeerBook.Entry::lastProblem));
    }

    public static byte[] encode(List<PeerStatus> statuses) {
        CBORObject array = CBORObject.NewArray();
        for (PeerStatus p : statuses) {
            CBORObject m = CBORObject.NewMap().Add(1, p.deviceId()).Add(2, p.verifiedHeight()).Add(3, p.state())
                    .Add(4, p.misbehaviour());
            p.uri().ifPresent(u -> m.Add(5, u.toString()));
            array.Add(m);
        }
        return Cbor.encode(array);
    }

    /** The (device id, uri) pairs a peer's /peers advertises; malformed rows are skipped. */
    public static Map<String, URI> addresses(byte[] payload) {
        Map<String, URI> out = new TreeMap<>();
        try {
            CBORObject array = Cbor.decodeWellFormed(payload, "/peers");
            if (array.getType() != CBORType.Array || array.size() > 1024) {
                return out;
            }
            for (int i = 0; i < array.size(); i++) {
                CBORObject m = array.get(i);
                if (m.getType() == CBORType.Map && m.ContainsKey(1) && m.ContainsKey(5)
                        && m.get(1).getType() == CBORType.TextString && m.get(5).getType() == CBORType.TextString) {
                    try {
                        out.put(m.get(1).AsString(), new URI(m.get(5).AsString()));
                    } catch (java.net.URISyntaxException ignored) {
                        // a bad row says nothing about the others
                    }
                }
            }
        } catch (io.eiedge.ledger.codec.LedgerFormatException ignored) {
            // not CBOR: nothing to learn
        }
        return out;
    }
}
