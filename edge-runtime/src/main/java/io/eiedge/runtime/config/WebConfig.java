package io.eiedge.runtime.config;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The local status page, {@code /api/status} and {@code /metrics} (DESIGN "Local web page and metrics").
 *
 * @param listen            where to listen; empty when {@code web.listen} is {@code ""} (no web server)
 * @param tls               serve HTTPS with the device certificate (for a LAN address)
 * @param requireClientCert with {@code tls}: only clients whose certificate the registrar root signed
 *                          (and the CRL held does not revoke) get an answer
 * @param maxConnections    open connections at most; more wait in the kernel's accept queue
 */
public record WebConfig(Optional<InetSocketAddress> listen, boolean tls, boolean requireClientCert, int maxConnections) {

    /** Loopback only: a technician reaches it over SSH forwarding unless a LAN address is set. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:8080";
    public static final int DEFAULT_MAX_CONNECTIONS = 8;

    public WebConfig {
        if (requireClientCert && !tls) {
            throw new IllegalArgumentException("web.require-client-cert needs web.tls");
        }
    }

    public static WebConfig defaults() {
        return new WebConfig(Optional.of(new InetSocketAddress("127.0.0.1", 8080)), false, false, DEFAULT_MAX_CONNECTIONS);
    }

    /** No web server. */
    public static WebConfig disabled() {
        return new WebConfig(Optional.empty(), false, false, DEFAULT_MAX_CONNECTIONS);
    }
}
