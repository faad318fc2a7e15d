package io.eiedge.runtime.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The CoAP/DTLS side: our server port and the peers whose headers we witness.
 *
 * @param port      UDP port of our coaps server, default 5684
 * @param insecure  serve and dial plain CoAP (no DTLS), only for lab set-ups
 * @param peers     neighbouring devices
 * @param multicast also find peers on the link: ask CoAP's All-CoAP-Nodes group (224.0.1.187,
 *                  UDP 5683) every sync round and answer others' asks
 */
public record CoapConfig(int port, boolean insecure, List<Peer> peers, boolean multicast) {

    public static final int DEFAULT_PORT = 5684;

    public CoapConfig {
        peers = List.copyOf(peers);
    }

    /** Without multicast discovery. */
    public CoapConfig(int port, boolean insecure, List<Peer> peers) {
        this(port, insecure, peers, false);
    }

    public static CoapConfig defaults() {
        return new CoapConfig(DEFAULT_PORT, false, List.of());
    }

    /** A neighbour: its device id (the CN its certificate must carry) and where to reach it. */
    public record Peer(String id, URI uri) {
        public Peer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(uri, "uri");
        }
    }
}
