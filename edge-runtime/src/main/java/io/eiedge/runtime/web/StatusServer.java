package io.eiedge.runtime.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.eiedge.runtime.config.WebConfig;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.node.NodeStatus;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The daemon's read-only web side on {@code web.listen}: the status page ({@code /} with its
 * script and style, every byte served from the jar — no CDN, works offline), {@code /api/status}
 * (the snapshot's JSON) and {@code /metrics} (Prometheus text). Nothing here changes state.
 *
 * <p>The JDK's own {@code com.sun.net.httpserver}: it is in every JDK (no jar on the Pi), serves
 * HTTP/1.1 and TLS through JSSE, and is enough for a page polled every few seconds and a scrape
 * every 15 s. Its cost: a dispatcher thread whose selector wakes once a second and an idle-timer
 * thread; handlers run on at most two threads that exist only while requests come in.
 *
 * <p>Bounded: {@code web.max-connections} open connections (the JDK server stops accepting
 * beyond them), request headers of 16 KiB and 32 lines at most, no request body at all, a request
 * line of 1 KiB; a connection that sends nothing is closed after the server's idle interval.
 */
public final class StatusServer implements AutoCloseable {
    private static final int MAX_URI = 1024;
    private static final int HANDLER_THREADS = 2;
    private static final String ASSETS = "/io/eiedge/runtime/web/";

    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final Supplier<NodeStatus> status;
    private final LatencyHistogram fsync;
    private final Function<X509Certificate, Optional<String>> clientRefusal;
    private final boolean requireClientCert;
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final AtomicLong scrapes = new AtomicLong();
    private final Map<String, Asset> assets;

    private record Asset(byte[] body, String contentType) {
    }

    /**
     * @param tls           the device identity, when {@code web.tls} is on
     * @param clientRefusal why a client certificate the registrar root signed is still refused
     *                      (revoked by the CRL held, wrong profile), empty when accepted
     */
    private StatusServer(WebConfig config, InetSocketAddress address, Supplier<NodeStatus> status, LatencyHistogram fsync,
                         Optional<TlsIdentity> tls, Function<X509Certificate, Optional<String>> clientRefusal,
                         String deviceId) throws IOException, GeneralSecurityException {
        this.status = status;
        this.fsync = fsync;
        this.clientRefusal = clientRefusal;
        this.requireClientCert = config.requireClientCert();
        this.assets = Map.of(
                "/", new Asset(asset("index.html"), "text/html; charset=utf-8"),
                "/app.js", new Asset(asset("app.js"), "text/javascript; charset=utf-8"),
                "/style.css", new Asset(asset("style.css"), "text/css; charset=utf-8"));
        limitServer(config.maxConnections());
        if (config.tls()) {
            TlsIdentity identity = tls.orElseThrow(() -> new GeneralSecurityException("web.tls needs the device certificate"));
            SSLContext context = identity.sslContext();
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = context.getDefaultSSLParameters();
                    p.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
                    p.setNeedClientAuth(requireClientCert);
                    params.setSSLParameters(p);
                }
            });
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 16);
        }
        this.handlers = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * config.maxConnections() + 2),
                Thread.ofPlatform().daemon().name("web-" + deviceId + "-", 1).factory());
        handlers.allowCoreThreadTimeOut(true); // no thread at all while nobody looks
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
    }

    /**
     * Starts listening. Throws when the address cannot be bound or the TLS material is unusable;
     * the caller (the node) reports it and keeps metering.
     */
    public static StatusServer start(WebConfig config, Supplier<NodeStatus> status, LatencyHistogram fsync,
                                     Optional<TlsIdentity> tls, Function<X509Certificate, Optional<String>> clientRefusal,
                                     String deviceId) throws IOException, GeneralSecurityException {
        InetSocketAddress address = config.listen().orElseThrow(() -> new IllegalArgumentException("web.listen is empty"));
        StatusServer s = new StatusServer(config, address, status, fsync, tls, clientRefusal, deviceId);
        s.server.start();
        Logger.info("device {}: status page on {}://{}/", deviceId, config.tls() ? "https" : "http", s.hostPort());
        return s;
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private String hostPort() {
        String host = address().getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address().getPort();
    }

    /** Requests refused since start, by reason ({@code web-method}, {@code web-body}, …). */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refused.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** {@code /metrics} answers given since start. */
    public long scrapes() {
        return scrapes.get();
    }

    /**
     * The JDK server's limits are JVM-wide system properties read once when it first loads: set
     * them unless the operator already did (on the java command line).
     */
    private static void limitServer(int maxConnections) {
        System.getProperties().putIfAbsent("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqHeaders", "32");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(16 * 1024));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxIdleConnections", Integer.toString(maxConnections));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String refusal = refusal(ex);
            if (refusal != null) {
                return;
            }
            String path = ex.getRequestURI().getPath();
            Asset a = assets.get(path);
            if (a != null) {
                respond(ex, 200, a.contentType(), a.body());
            } else if (path.equals("/api/status")) {
                respond(ex, 200, "application/json; charset=utf-8", status.get().toJson().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/metrics")) {
                scrapes.incrementAndGet();
                byte[] body = MetricsText.render(status.get(), fsync.snapshot()).getBytes(StandardCharsets.UTF_8);
                respond(ex, 200, MetricsText.CONTENT_TYPE, body);
            } else {
                respond(ex, 404, "text/plain; charset=utf-8",
                        ("not found: " + path + " (this device serves /, /api/status and /metrics)\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            Logger.debug("web: {} {} from {}: {}", ex.getRequestMethod(), ex.getRequestURI(), ex.getRemoteAddress(), e.getMessage());
        } catch (RuntimeException e) {
            // one bad request never takes the page (or the node) down
            Logger.warn(e, "web: {} {} failed", ex.getRequestMethod(), ex.getRequestURI());
        }
    }

    /** Answers and counts a refused request; null when the request may be served. */
    private String refusal(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            return refuse(ex, "web-method", 405, method + " is not served: these pages are read-only (GET, HEAD)");
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if ((length != null && !length.trim().equals("0")) || ex.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return refuse(ex, "web-body", 413, "a request body is not accepted here");
        }
        if (ex.getRequestURI().getRawPath() == null || ex.getRequestURI().toString().length() > MAX_URI) {
            return refuse(ex, "web-uri", 414, "request line longer than " + MAX_URI + " characters");
        }
        if (requireClientCert && ex instanceof HttpsExchange https) {
            Optional<String> why;
            try {
                Certificate[] chain = https.getSSLSession().getPeerCertificates();
                why = chain.length > 0 && chain[0] instanceof X509Certificate c ? clientRefusal.apply(c)
                        : Optional.of("no X.509 client certificate");
            } catch (SSLPeerUnverifiedException e) {
                why = Optional.of("no client certificate");
            }
            if (why.isPresent()) {
                Logger.warn("web: client {} refused: {}", ex.getRemoteAddress(), why.get());
                return refuse(ex, "web-client-certificate", 403, "client certificate refused: " + why.get());
            }
        }
        return null;
    }

    private String refuse(HttpExchange ex, String reason, int code, String message) throws IOException {
        refused.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        respond(ex, code, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        return reason;
    }

    private static void respond(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        // everything comes from this device: nothing else may load, not even by mistake
        h.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] asset(String name) throws IOException {
        try (InputStream in = StatusServer.class.getResourceAsStream(ASSETS + name)) {
            if (in == null) {
                throw new IOException("the jar lacks " + ASSETS + name);
            }
            return in.readAllBytes();
        }
    }

    /** Stops listening; requests under way get up to a second. */
    @Override
    public void close() {
        server.stop(1);
        handlers.shutdownNow();
    }
}
