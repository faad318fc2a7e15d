package io.eiedge.runtime.sync;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.runtime.coap.PeerEndpoint;
import io.eiedge.runtime.coap.Payloads;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.tinylog.Logger;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This node's side of one peer: who it is (its certificate, from the DTLS handshake and /id), the
 * headers-first catch-up from our last verified height, and the Observe on its head. Every header
 * goes through the {@link HeaderIntake}.
 */
final class PeerLink implements AutoCloseable {
    static final long TIMEOUT_MS = 10_000;

    private final Optional<String> expectedId;
    private final URI base;
    private final PeerEndpoint endpoint;
    private final CoapClient client;
    private final HeaderIntake intake;
    private final Revocation revocation;
    private final PeerBook book;
    private final java.util.concurrent.Executor rounds;
    private final java.util.concurrent.Executor verifiers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** A periodic round of this peer is queued or running: the next one is not queued behind it. */
    private final AtomicBoolean periodic = new AtomicBoolean();
    /** Rounds in a row the peer did not answer, and periodic rounds still to skip because of it. */
    private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger skip = new java.util.concurrent.atomic.AtomicInteger();
    private volatile TrustedDevice device;
    private volatile CoapObserveRelation observation;
    private volatile boolean closed;

    PeerLink(Optional<String> expectedId, URI base, PeerEndpoint endpoint, HeaderIntake intake, Revocation revocation,
             PeerBook book, java.util.concurrent.Executor rounds, java.util.concurrent.Executor verifiers,
             ScheduledThreadPoolExecutor callbacks) {
        this.expectedId = expectedId;
        this.base = base;
        this.endpoint = endpoint;
        this.intake = intake;
        this.revocation = revocation;
        this.book = book;
        this.rounds = rounds;
        this.verifiers = verifiers;
        this.client = new CoapClient(base);
        client.setEndpoint(endpoint.endpoint());
        client.setTimeout(TIMEOUT_MS);
        // callbacks (responses, notifications) run on their own thread and never block, so a round
        // waiting for a prefetched range can never starve the callback that completes it
        client.setExecutors(callbacks, callbacks, true);
    }

    URI base() {
        return base;
    }

    Optional<TrustedDevice> device() {
        return Optional.ofNullable(device);
    }

    String name() {
        return device != null ? device.deviceId() + " (" + base + ")" : expectedId.map(id -> id + " (" + base + ")").orElse(base.toString());
    }

    /**
     * Claims this peer's next periodic round, unless the previous one is still queued or running (a
     * peer that does not answer holds a thread for up to 30 s; its rounds must not pile up) or it
     * is backing off. {@link #releasePeriodicRound()} when done.
     */
    boolean claimPeriodicRound() {
        if (skip.get() > 0) {
            skip.decrementAndGet();
            return false;
        }
        return periodic.compareAndSet(false, true);
    }

    void releasePeriodicRound() {
        periodic.set(false);
    }

    /**
     * Catch up and make sure we follow the head; returns at once (false) if a round is already
     * running. Returns whether the peer answered.
     */
    boolean round() {
        if (closed || !busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            TrustedDevice d = identify();
            if (intake.store().state(d.deviceId()).frozen()) {
                stopFollowing();
                return true;
            }
            boolean wasFollowing = isFollowing();
            if (catchUp(d) > 0 && wasFollowing) {
                // headers Observe should have brought: the relation died with a restart of the peer
                Logger.info("peer {}: Observe missed new headers, registering again", name());
                forgetObservation();
            }
            follow(d);
            int missed = unanswered.getAndSet(0);
            if (missed > 0) {
                Logger.info("peer {}: answers again after {} unanswered round(s)", name(), missed);
                book.answersAgain(d.deviceId());
            }
            return true;
        } catch (PeerProblem e) {
            if (closed) {
                return false; // interrupted by our own shutdown: nothing to report
            }
            expectedId.or(() -> device().map(TrustedDevice::deviceId)).ifPresent(id -> book.problem(id, e.getMessage()));
            if (!e.unanswered()) {
                Logger.warn("peer {}: {}", name(), e.getMessage());
                return true;
            }
            // it may have restarted: our DTLS session and Observe relation would be gone with it
            endpoint.handshakeAgain(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            forgetObservation();
            backOff(e.getMessage());
            return false;
        } finally {
            busy.set(false);
        }
    }

    /** Periodic rounds skipped after n unanswered ones in a row: 0, 1, 3, 7, 15, then at most 20. */
    static final int MAX_SKIPPED_ROUNDS = 20;

    /** After rounds the peer left unanswered, skip exponentially more of them, and say so once, not every round. */
    private void backOff(String problem) {
        int n = unanswered.incrementAndGet();
        int skipped = Math.min(MAX_SKIPPED_ROUNDS, (1 << Math.min(n - 1, 5)) - 1);
        skip.set(skipped);
        if (n == 1) {
            Logger.warn("peer {}: {}; trying again with back-off", name(), problem);
        } else if (Integer.bitCount(n) == 1) {
            Logger.info("peer {}: still no answer after {} rounds ({}); skipping the next {}", name(), n, problem, skipped);
        } else {
            Logger.debug("peer {}: no answer, round {} ({})", name(), n, problem);
        }
    }

    /** The peer's certificate: from /id, which over DTLS must be the certificate of the handshake. */
    TrustedDevice identify() throws PeerProblem {
        TrustedDevice known = device;
        if (known != null && !revocation.isRevoked(known)) {
            return known;
        }
        CoapResponse r = get("/id");
        byte[] der = r.getPayload();
        if (endpoint.isSecure()) {
            Optional<X509Certificate> proven = PeerEndpoint.peerCertificate(r.advanced().getSourceContext());
            try {
                if (proven.isEmpty() || !java.util.Arrays.equals(proven.get().getEncoded(), der)) {
                    throw new PeerProblem("its /id is not the certificate it proved in the DTLS handshake");
                }
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new PeerProblem("unreadable handshake certificate");
            }
        }
        TrustedDevice d;
        try {
            d = revocation.trust(der);
        } catch (VerificationException e) {
            throw new PeerProblem("certificate not trusted: " + e);
        }
        if (expectedId.isPresent() && !expectedId.get().equals(d.deviceId())) {
            throw new PeerProblem("presents the certificate of '" + d.deviceId() + "', the configuration expects '" + expectedId.get() + "'");
        }
        device = d;
        book.trusted(d, System.currentTimeMillis());
        book.address(d.deviceId(), base);
        return d;
    }

    /**
     * Ranges in flight during a catch-up. Each 500-header range is ~140 block-wise round trips of
     * 1 KiB (CoAP's largest block), so one range at a time would leave the link idle most of the
     * time; with 8, the network and the signature checks keep every core busy (see the sync benchmark).
     */
    private static final int RANGES_IN_FLIGHT = 8;

    /** One fetched range, already checked header by header on a verifier thread. */
    private record CheckedRange(int count, HeaderIntake.Prepared prepared) {
    }

    /**
     * Headers-first: ask for 500 headers from our verified height + 1, and the next ranges too. Each
     * range is checked (signatures: nearly all the cost) on a verifier thread as soon as it arrives;
     * this thread then offers them in order, which stores them after the link checks.
     *
     * @return how many new headers were stored
     */
    long catchUp(TrustedDevice d) throws PeerProblem {
        long from = intake.verifiedHeight(d.deviceId()) + 1;
        long stored = 0;
        java.util.ArrayDeque<CompletableFuture<CheckedRange>> inFlight = new java.util.ArrayDeque<>();
        long requested = from;
        for (int i = 0; i < RANGES_IN_FLIGHT; i++) {
            inFlight.add(fetchChecked(d, requested));
            requested += Payloads.MAX_HEADERS;
        }
        try {
            while (!closed) {
                CheckedRange range = await(inFlight.poll());
                if (range.count() == 0) {
                    return stored;
                }
                boolean full = range.count() == Payloads.MAX_HEADERS;
                if (full) {
                    inFlight.add(fetchChecked(d, requested));
                    requested += Payloads.MAX_HEADERS;
                }
                HeaderIntake.Result result = intake.offer("sync " + base.getAuthority(), range.prepared());
                stored += result.accepted(); // not duplicates: Observe may have brought those a moment earlier
                if (!result.allTaken()) {
                    if (result.accepted() == 0 && result.duplicates() == 0) {
                        throw new PeerProblem("sync stopped at height " + from + ": " + result.refusal().orElse("equivocation"));
                    }
                    return stored;
                }
                from += range.count();
                if (!full) {
                    return stored;
                }
            }
            return stored;
        } finally {
            inFlight.forEach(f -> f.cancel(true)); // ranges beyond the peer's head, or after a stop
        }
    }

    private CompletableFuture<CheckedRange> fetchChecked(TrustedDevice d, long from) {
        return fetchAsync(from).thenApplyAsync(batch -> new CheckedRange(batch.size(), intake.prepare(d, batch, false)), verifiers);
    }

    private CompletableFuture<List<byte[]>> fetchAsync(long from) {
        CompletableFuture<List<byte[]>> f = new CompletableFuture<>();
        String path = "/ledger/headers?from=" + from + "&n=" + Payloads.MAX_HEADERS;
        Request request = Request.newGet();
        request.setURI(base.resolve(path));
        client.advanced(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse r) {
                if (r.getCode() != ResponseCode.CONTENT) {
                    f.completeExceptionally(new PeerProblem("GET " + path + ": " + r.getCode() + " " + r.getResponseText()));
                    return;
                }
                try {
                    f.complete(Payloads.decodeByteStrings(r.getPayload(), Payloads.MAX_HEADERS, "headers from " + from));
                } catch (LedgerFormatException e) {
                    f.completeExceptionally(new PeerProblem("GET " + path + ": " + e.getMessage()));
                }
            }

            @Override
            public void onError() {
                f.completeExceptionally(PeerProblem.unanswered("GET " + path + ": no answer (timeout, or the connection was refused)"));
            }
        }, request);
        return f;
    }

    private static <T> T await(CompletableFuture<T> f) throws PeerProblem {
        try {
            return f.get(3 * TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw PeerProblem.unanswered("no header range within " + 3 * TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerProblem("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof PeerProblem p ? p : new PeerProblem(c.getMessage());
        }
    }

    /** Observe /ledger/head: each notification goes to the intake; an early one triggers a catch-up. */
    private void follow(TrustedDevice d) {
        CoapObserveRelation current = observation;
        if (current != null && !current.isCanceled()) {
            return;
        }
        Request request = Request.newGet();
        request.setURI(base.resolve("/ledger/head"));
        request.setObserve();
        observation = client.observe(request, new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                if (response.getCode() != ResponseCode.CONTENT) {
                    Logger.info("peer {}: observation ended: {} {}", name(), response.getCode(), response.getResponseText());
                    book.following(d.deviceId(), false);
                    return;
                }
                book.following(d.deviceId(), true);
                HeaderIntake.Result r = intake.offer("observe " + base.getAuthority(), d, HeaderIntake.one(response.getPayload()));
                if (r.behind()) {
                    rounds.execute(PeerLink.this::round);
                }
            }

            @Override
            public void onError() {
                book.following(d.deviceId(), false);
            }
        });
    }

    private boolean isFollowing() {
        CoapObserveRelation o = observation;
        return o != null && !o.isCanceled();
    }

    /** Drops our side of the Observe relation without telling the peer; the next round registers anew. */
    private void forgetObservation() {
        CoapObserveRelation o = observation;
        observation = null;
        if (o != null) {
            o.reactiveCancel();
        }
        device().ifPresent(d -> book.following(d.deviceId(), false));
    }

    private void stopFollowing() {
        CoapObserveRelation o = observation;
        observation = null;
        if (o != null) {
            o.proactiveCancel();
        }
        device().ifPresent(d -> book.following(d.deviceId(), false));
    }

    /** The peer's CRL, if it serves one. */
    Optional<byte[]> crl() {
        try {
            return Optional.of(get("/crl").getPayload());
        } catch (PeerProblem e) {
            return Optional.empty();
        }
    }

    /** The peer's /peers (CBOR), for discovery. */
    Optional<byte[]> peers() {
        try {
            return Optional.of(get("/peers").getPayload());
        } catch (PeerProblem e) {
            return Optional.empty();
        }
    }

    /** Whether the peer's /.well-known/core lists an eiedge head. */
    boolean isEiedge() throws PeerProblem {
        return get("/.well-known/core").getResponseText().contains("rt=\"eiedge.head\"");
    }

    private CoapResponse get(String path) throws PeerProblem {
        Request request = Request.newGet();
        request.setURI(base.resolve(path));
        CoapResponse r;
        try {
            r = client.advanced(request);
        } catch (ConnectorException | IOException e) {
            throw PeerProblem.unanswered("GET " + path + ": " + e.getMessage());
        }
        if (r == null) {
            throw PeerProblem.unanswered("GET " + path + ": no answer within " + TIMEOUT_MS + " ms (unreachable, or the DTLS handshake was refused)");
        }
        if (r.getCode() != ResponseCode.CONTENT) {
            throw new PeerProblem("GET " + path + ": " + r.getCode() + " " + r.getResponseText());
        }
        return r;
    }

    /** Stops following and syncing this peer (revoked, removed, closing). */
    @Override
    public void close() {
        closed = true;
        stopFollowing();
        client.shutdown();
    }

    /** Something went wrong with this peer; the message says what. */
    static final class PeerProblem extends Exception {
        private final boolean unanswered;

        PeerProblem(String message) {
            this(message, false);
        }

        private PeerProblem(String message, boolean unanswered) {
            super(message);
            this.unanswered = unanswered;
        }

        /** The peer did not answer at all (gone, restarted, or a handshake refused), as opposed to answering wrongly. */
        static PeerProblem unanswered(String message) {
            return new PeerProblem(message, true);
        }

        boolean unanswered() {
            return unanswered;
        }
    }
}
