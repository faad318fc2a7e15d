package io.eiedge.runtime.node;

import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.runtime.config.MqttConfig;
import io.eiedge.runtime.mqtt.MqttUplink;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The persistent outbox. Every signed reading is already durable in the chain, so the outbox is
 * not a second copy but a cursor over the chain: it publishes readings in seq order from the
 * cursor, then each header once all of its block's readings are out, advancing the cursor only
 * over what the broker acknowledged (QoS 1 PUBACK). While the broker is away nothing moves;
 * after a restart publishing resumes from the saved cursor. Delivery is at least once: a
 * crash between acknowledgement and saving re-publishes a few readings with the same seq.
 *
 * <p>Bounds: the backlog is what the chain holds beyond the cursor. When it exceeds
 * {@code maxBacklogBytes}, readings are skipped by the configured policy — drop-oldest skips
 * the oldest unpublished ones, drop-newest publishes the oldest backlog up to the cap and then
 * jumps to the present. Skipped readings are never deleted: they stay in the chain and can
 * still be fetched by seq; headers are never skipped; the count is in the status.
 * Publishing is paced at {@code ratePerSecond} so a long backlog does not get the client
 * cut off by the broker.
 */
final class Outbox implements AutoCloseable {
    private static final int BATCH = 64;
    /** Unacknowledged readings at once; below the uplink's limit, leaving room for headers and state. */
    private static final int WINDOW = MqttUplink.MAX_IN_FLIGHT - 16;
    /** Readings per turn before headers get theirs. */
    private static final int ROUND = 1024;
    private static final long SAVE_EVERY_MS = 1000;

    private final Chain chain;
    private final MqttUplink uplink;
    private final Path dataDir;
    private final double ratePerSecond;
    private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
    private final long maxBacklogBytes;
    private final MqttConfig.FullPolicy whenFull;
    /** drop-newest: the seq where the kept backlog ends; -1 when not over the cap. */
    private long keptUntil = -1;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile OutboxCursor cursor;
    private volatile long skipped;
    private long savedAt;
    private OutboxCursor saved;
    private double avgBytes = 160;
    private long nextSendNanos = System.nanoTime();

    Outbox(Chain chain, MqttUplink uplink, Path dataDir, double ratePerSecond, long maxBacklogBytes,
           MqttConfig.FullPolicy whenFull) throws IOException {
        this.whenFull = whenFull;
        this.chain = chain;
        this.uplink = uplink;
        this.dataDir = dataDir;
        this.ratePerSecond = ratePerSecond;
        this.maxBacklogBytes = maxBacklogBytes;
        this.cursor = OutboxCursor.load(dataDir);
        this.saved = cursor;
        this.thread = Thread.ofPlatform().daemon().name("outbox-" + chain.deviceId()).unstarted(this::loop);
        uplink.addListener(new io.eiedge.runtime.mqtt.ConnectionListener() {
            @Override
            public void connected(long session) {
                wake();
            }

            @Override
            public void disconnected(Throwable cause) {
            }
        });
    }

    void start() {
        thread.start();
    }

    /** New readings or headers are in the chain, or the broker is back. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Next seq not yet acknowledged by the broker; readings below it may be pruned. */
    long publishedUpTo() {
        return cursor.nextSeq();
    }

    /** Next header height not yet acknowledged by the broker. */
    long publishedHeight() {
        return cursor.nextHeight();
    }

    long depth() {
        return Math.max(0, chain.nextSeq() - cursor.nextSeq());
    }

    /** Readings and headers the broker acknowledged since start. */
    long published() {
        return published.get();
    }

    long skipped() {
        return skipped;
    }

    private void loop() {
        while (running) {
            boolean progressed = false;
            try {
                if (uplink.isConnected()) {
                    applyCap();
                    progressed = publishReadings() | publishHeaders();
                }
                saveIfDue(false);
            } catch (LedgerStoreException | IOException e) {
                Logger.error("device {}: outbox: {}", chain.deviceId(), e.getMessage());
            } catch (PublishFailed e) {
                Logger.info("device {}: outbox paused, broker did not acknowledge: {}", chain.deviceId(), e.getMessage());
            } catch (InterruptedException e) {
                break;
            }
            if (!progressed) {
                synchronized (signal) {
                    try {
                        signal.wait(500);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
            }
        }
        Thread.interrupted(); // an interrupt at close must not stop the final save (NIO would refuse it)
        try {
            saveIfDue(true);
        } catch (IOException e) {
            Logger.error("device {}: outbox cursor not saved: {}", chain.deviceId(), e.getMessage());
        }
    }

    private void applyCap() {
        long depth = depth();
        long allowed = (long) (maxBacklogBytes / Math.max(1, avgBytes));
        if (maxBacklogBytes <= 0 || depth <= allowed) {
            return;
        }
        if (whenFull == MqttConfig.FullPolicy.DROP_NEWEST) {
            if (keptUntil < 0) {
                keptUntil = cursor.nextSeq() + allowed;
                Logger.warn("device {}: outbox backlog of {} readings exceeds {} bytes; publishing the oldest {} then skipping to the present",
                        chain.deviceId(), depth, maxBacklogBytes, allowed);
            }
            return;
        }
        {
            long skip = depth - allowed;
            Logger.warn("device {}: outbox backlog of {} readings exceeds {} bytes; skipping the oldest {} (they stay in the chain)",
                    chain.deviceId(), depth, maxBacklogBytes, skip);
            cursor = new OutboxCursor(cursor.nextSeq() + skip, cursor.nextHeight());
            skipped += skip;
        }
    }

    /** A publish on its way: the seq it carries and the broker's acknowledgement to come. */
    private record InFlight(long seq, CompletableFuture<Void> ack) {
    }

    /**
     * Publishes up to {@link #ROUND} readings from the cursor with a sliding window of
     * {@link #WINDOW} unacknowledged ones (the broker's round trip overlaps the next sends), and
     * moves the cursor over each acknowledgement in order. Returns whether anything was sent.
     */
    private boolean publishReadings() throws LedgerStoreException, InterruptedException {
        if (keptUntil >= 0 && cursor.nextSeq() >= keptUntil) {
            long present = chain.nextSeq();
            skipped += present - cursor.nextSeq();
            cursor = new OutboxCursor(present, cursor.nextHeight());
            keptUntil = -1;
        }
        java.util.ArrayDeque<InFlight> window = new java.util.ArrayDeque<>();
        long next = cursor.nextSeq();
        int sent = 0;
        try {
            while (sent < ROUND) {
                int max = keptUntil >= 0 ? (int) Math.min(BATCH, keptUntil - next) : BATCH;
                List<SignedReading> batch = max <= 0 ? List.of() : chain.readingsFrom(next, max);
                if (batch.isEmpty()) {
                    break;
                }
                for (SignedReading r : batch) {
                    if (window.size() >= WINDOW) {
                        acknowledged(window.poll());
                    }
                    pace();
                    byte[] cose = r.cose().encoded();
                    avgBytes = avgBytes * 0.99 + cose.length * 0.01;
                    window.add(new InFlight(r.seq(), uplink.publish(uplink.topics().reading(), cose, false)));
                    next = r.seq() + 1;
                    sent++;
                }
            }
            while (!window.isEmpty()) {
                acknowledged(window.poll());
            }
        } finally {
            window.forEach(f -> f.ack().cancel(false)); // after a failure: resent from the cursor next time
        }
        return sent > 0;
    }

    private void acknowledged(InFlight f) throws InterruptedException {
        awaitAck(f.ack(), "reading seq " + f.seq());
        cursor = new OutboxCursor(f.seq() + 1, cursor.nextHeight());
        published.incrementAndGet();
    }

    private boolean publishHeaders() throws LedgerStoreException, InterruptedException {
        boolean any = false;
        for (SignedHeader h : chain.headers(cursor.nextHeight(), BATCH)) {
            if (h.header().nextSeq() > cursor.nextSeq() && h.header().count() > 0) {
                break; // its readings are not all out yet
            }
            pace();
            awaitAck(uplink.publish(uplink.topics().header(), h.cose().encoded(), true), "header " + h.height());
            cursor = new OutboxCursor(cursor.nextSeq(), h.height() + 1);
            published.incrementAndGet();
            any = true;
        }
        return any;
    }

    private void awaitAck(CompletableFuture<Void> ack, String what) throws InterruptedException {
        try {
            ack.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new PublishFailed(what + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
        }
    }

    private void pace() throws InterruptedException {
        if (ratePerSecond <= 0) {
            return;
        }
        long now = System.nanoTime();
        long wait = nextSendNanos - now;
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        nextSendNanos = Math.max(now, nextSendNanos) + (long) (1e9 / ratePerSecond);
    }

    private void saveIfDue(boolean force) throws IOException {
        OutboxCursor c = cursor;
        long now = System.currentTimeMillis();
        if (!c.equals(saved) && (force || now - savedAt >= SAVE_EVERY_MS)) {
            c.save(dataDir);
            saved = c;
            savedAt = now;
        }
    }

    private static final class PublishFailed extends RuntimeException {
        PublishFailed(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(2000);
            if (thread.isAlive()) {
                thread.interrupt(); // stuck waiting for an acknowledgement that will not come
                thread.join(3000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
