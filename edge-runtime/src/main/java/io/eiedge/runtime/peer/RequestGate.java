package io.eiedge.runtime.peer;

import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.interceptors.MessageInterceptor;
import org.tinylog.Logger;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-sender admission for the CoAP server, before Californium's matcher and block-wise layer
 * see a request: each source address (a UDP sender, a DTLS peer) has two token buckets — one for
 * every new request, one for the costly ones that make the server keep state or do real work (a
 * block-wise upload's first block, an Observe registration, a header range) — and a sender that
 * empties one is muted with a {@link Backoff} (1 s, 3 s, 7 s … up to a minute; forgotten after
 * ten quiet minutes). A muted sender's datagrams are dropped here for the cost of one map lookup.
 * Continuation blocks of a transfer already admitted are not counted against the costly bucket.
 *
 * <p>Senders are kept in a bounded least-recently-seen table ({@link #MAX_SENDERS}): a flood
 * from many addresses evicts the oldest entries rather than growing it. Such a flood is then
 * bounded by Californium's own caps (block-wise transfers, Observe relations, deduplication per
 * peer; see {@code CoapSettings}), which this gate does not replace.
 */
public final class RequestGate implements MessageInterceptor {
    /** Senders tracked at once. */
    public static final int MAX_SENDERS = 512;
    /** Any new request: an honest peer's sync sends a few a second, a catch-up a few hundred. */
    public static final double REQUESTS_PER_SECOND = 400;
    public static final int REQUEST_BURST = 800;
    /** Requests that cost state or work: uploads started, Observe registrations, header ranges. */
    public static final double COSTLY_PER_SECOND = 40;
    public static final int COSTLY_BURST = 80;

    private final InstantSource clock;
    private final String owner;
    private final Map<InetSocketAddress, Sender> senders = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Sender> eldest) {
            return size() > MAX_SENDERS;
        }
    };
    private final AtomicLong dropped = new AtomicLong();

    public RequestGate(String owner, InstantSource clock) {
        this.owner = owner;
        this.clock = clock;
    }

    private final class Sender {
        final TokenBucket requests = new TokenBucket(clock, REQUESTS_PER_SECOND, REQUEST_BURST);
        final TokenBucket costly = new TokenBucket(clock, COSTLY_PER_SECOND, COSTLY_BURST);
        final Backoff mute = new Backoff(clock, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(10));
    }

    /** Requests dropped since start. */
    public long dropped() {
        return dropped.get();
    }

    /** Whether a request from {@code from} is let through; counts it. */
    public boolean admit(InetSocketAddress from, boolean costly) {
        synchronized (senders) {
            Sender s = senders.computeIfAbsent(from, a -> new Sender());
            if (s.mute.waiting()) {
                dropped.incrementAndGet();
                return false;
            }
            if (s.requests.tryTake() && (!costly || s.costly.tryTake())) {
                return true;
            }
            Duration wait = s.mute.failed();
            dropped.incrementAndGet();
            if (s.mute.failures() == 1 || Integer.bitCount(s.mute.failures()) == 1) {
                Logger.warn("device {}: CoAP sender {} exceeds its request rate; muted for {} ms (failure {})", owner, from,
                        wait.toMillis(), s.mute.failures());
            }
            return false;
        }
    }

    /** Whether a request makes the server keep state or do real work. */
    static boolean isCostly(Request request) {
        BlockOption b1 = request.getOptions().getBlock1();
        if (b1 != null) {
            return b1.getNum() == 0;
        }
        BlockOption b2 = request.getOptions().getBlock2();
        if (b2 != null && b2.getNum() > 0) {
            return false; // the next block of a transfer under way
        }
        return request.getOptions().hasObserve() || request.getOptions().getUriPath().contains("headers");
    }

    @Override
    public void receiveRequest(Request request) {
        InetSocketAddress from = request.getSourceContext() == null ? null : request.getSourceContext().getPeerAddress();
        if (from != null && !admit(from, isCostly(request))) {
            request.setCanceled(true); // the endpoint drops a cancelled request before it is matched
        }
    }

    @Override
    public void sendRequest(Request request) {
    }

    @Override
    public void sendResponse(Response response) {
    }

    @Override
    public void sendEmptyMessage(EmptyMessage message) {
    }

    @Override
    public void receiveResponse(Response response) {
    }

    @Override
    public void receiveEmptyMessage(EmptyMessage message) {
    }
}
