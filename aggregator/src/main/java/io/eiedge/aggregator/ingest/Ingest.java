package io.eiedge.aggregator.ingest;

import io.eiedge.aggregator.ingest.IngestClient.Inbound;
import io.eiedge.aggregator.store.BatchWriter;
import io.eiedge.aggregator.store.BlockChecker;
import io.eiedge.aggregator.store.Database;
import io.eiedge.runtime.watch.Problem.Kind;
import io.eiedge.runtime.watch.WatchTopic;
import io.eiedge.runtime.watch.WatchTopic.Leaf;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;

/**
 * The ingest loop: takes what the broker delivered in batches, verifies it
 * ({@link StreamVerifier}; certificates and CRLs first and in order, the rest on
 * {@code verifyThreads} threads), writes the batch in one transaction ({@link BatchWriter}),
 * acknowledges its messages only then, and judges the blocks the batch completed
 * ({@link BlockChecker}). A database failure leaves the batch unacknowledged and is retried with
 * back-off on a new connection, so nothing is lost and the broker holds the rest meanwhile.
 * Readings whose device's certificate has not arrived yet wait (at most {@code maxHeld}, also
 * unacknowledged) and are verified when it comes; past that they are recorded as unverified.
 * The loop blocks on the queue when there is nothing to do.
 */
public final class Ingest {

    /** How the loop batches and verifies. */
    public record Settings(int batchSize, long lingerMs, int verifyThreads, int maxHeld) {
        public Settings {
            if (batchSize < 1 || lingerMs < 0 || verifyThreads < 1 || maxHeld < 0) {
                throw new IllegalArgumentException("batch ≥ 1, linger ≥ 0, verify threads ≥ 1, held ≥ 0");
            }
        }
    }

    /** Totals since start, for the operator's summary line. */
    public record Totals(long messages, long readings, long headers, long duplicates, long conflicts, long verdicts,
                         long blocksChecked, long blocksMismatched) {
        @Override
        public String toString() {
            return messages + " messages: " + readings + " readings and " + headers + " headers stored, " + duplicates
                    + " re-deliveries, " + conflicts + " conflicts, " + verdicts + " verdicts; " + blocksChecked
                    + " Merkle roots checked (" + blocksMismatched + " mismatched)";
        }
    }

    private final StreamVerifier verifier;
    private final Database db;
    private final BlockingQueue<Inbound> queue;
    private final Settings settings;
    private final ForkJoinPool verifyPool;
    private final Deque<Inbound> held = new ArrayDeque<>();
    private final String prefix;
    private Connection connection;
    private IngestClient client;

    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong headers = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong verdicts = new AtomicLong();
    private final AtomicLong blocksChecked = new AtomicLong();
    private final AtomicLong blocksMismatched = new AtomicLong();

    public Ingest(StreamVerifier verifier, Database db, String prefix, BlockingQueue<Inbound> queue, Settings settings) {
        this.verifier = verifier;
        this.db = db;
        this.prefix = prefix;
        this.queue = queue;
        this.settings = settings;
        this.verifyPool = new ForkJoinPool(settings.verifyThreads());
    }

    /** Acknowledgements go to this client (set before {@link #runUntil}). */
    public void attach(IngestClient client) {
        this.client = client;
    }

    public Totals totals() {
        return new Totals(messages.get(), readings.get(), headers.get(), duplicates.get(), conflicts.get(), verdicts.get(),
                blocksChecked.get(), blocksMismatched.get());
    }

    /**
     * Handles batches until {@code stop} says so; blocks while nothing arrives. The current batch
     * is finished (committed and acknowledged) before returning.
     */
    public void runUntil(java.util.function.BooleanSupplier stop) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            List<Inbound> batch = nextBatch();
            if (batch.isEmpty()) continue;
            handle(batch);
        }
    }

    private List<Inbound> nextBatch() throws InterruptedException {
        List<Inbound> batch = new ArrayList<>(settings.batchSize());
        Inbound first = queue.poll(1, TimeUnit.SECONDS); // wakes once a second only to see whether to stop
        if (first == null) return batch;
        batch.add(first);
        queue.drainTo(batch, settings.batchSize() - 1);
        long lingerEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.lingerMs());
        while (batch.size() < settings.batchSize()) {
            long left = lingerEnd - System.nanoTime();
            if (left <= 0) break;
            Inbound next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) break;
            batch.add(next);
            queue.drainTo(batch, settings.batchSize() - batch.size());
        }
        return batch;
    }

    /** Verifies, stores and acknowledges one batch (also used directly by tests and the benchmark). */
    public void handle(List<Inbound> batch) throws InterruptedException {
        messages.addAndGet(batch.size());
        List<Item> items = new ArrayList<>(batch.size());
        List<Inbound> done = new ArrayList<>(batch.size());
        List<Inbound> data = new ArrayList<>(batch.size());
        boolean newTrust = false;
        for (Inbound m : batch) {
            Leaf leaf = WatchTopic.parse(prefix, m.topic()).map(WatchTopic::leaf).orElse(null);
            if (leaf == Leaf.CERT || leaf == Leaf.CRL) {
                Item i = verifier.trustChange(m.topic(), m.payload());
                newTrust |= i instanceof Item.Certificate || i instanceof Item.Crl;
                items.add(i);
                done.add(m);
            } else {
                data.add(m);
            }
        }
        List<Item> verified = verifyAll(data);
        for (int i = 0; i < data.size(); i++) {
            Item item = verified.get(i);
            Inbound m = data.get(i);
            if (item instanceof Item.AwaitCertificate a) {
                hold(m, a, items, done);
            } else {
                items.add(item);
                done.add(m);
            }
        }
        store(items);
        for (Inbound m : done) client.ack(m);
        checkBlocks();
        if (newTrust && !held.isEmpty()) {
            List<Inbound> again = new ArrayList<>(held);
            held.clear();
            handle(again);
            messages.addAndGet(-again.size());
        }
    }

    private List<Item> verifyAll(List<Inbound> data) throws InterruptedException {
        if (data.size() < 16 || settings.verifyThreads() == 1) {
            return data.stream().map(m -> verifier.verify(m.topic(), m.payload())).toList();
        }
        try {
            return verifyPool.submit(() -> data.parallelStream().map(m -> verifier.verify(m.topic(), m.payload())).toList()).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("verification failed: " + e.getCause(), e.getCause());
        }
    }

    private void hold(Inbound m, Item.AwaitCertificate a, List<Item> items, List<Inbound> done) {
        if (held.size() >= settings.maxHeld()) {
            Inbound dropped = held.isEmpty() ? m : held.removeFirst();
            if (dropped != m) held.addLast(m);
            WatchTopic t = WatchTopic.parse(prefix, dropped.topic()).orElseThrow();
            items.add(new Item.Verdict(Kind.UNVERIFIED, t.subnet(), t.device(), -1, dropped.topic(), "no certificate of "
                    + t.device() + " arrived while " + settings.maxHeld() + " messages waited for certificates", dropped.payload(), null));
            done.add(dropped);
            return;
        }
        if (held.isEmpty()) Logger.info("ingest: holding messages of {} until its certificate arrives", a.device());
        held.addLast(m);
    }

    /** Commits the items, retrying on a fresh connection with back-off until the database takes them. */
    private void store(List<Item> items) throws InterruptedException {
        long backoff = 200;
        while (true) {
            try {
                BatchWriter.Result r = BatchWriter.write(connection(), items);
                readings.addAndGet(r.readings());
                headers.addAndGet(r.headers());
                duplicates.addAndGet(r.duplicates());
                conflicts.addAndGet(r.conflicts());
                verdicts.addAndGet(r.verdicts());
                return;
            } catch (SQLException e) {
                Logger.warn("ingest: batch of {} items not stored ({}: {}); retrying in {} ms", items.size(), e.getSQLState(),
                        e.getMessage(), backoff);
                dropConnection();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void checkBlocks() throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            try {
                BlockChecker.Result r = BlockChecker.check(connection());
                blocksChecked.addAndGet(r.merkleOk() + r.merkleMismatch());
                blocksMismatched.addAndGet(r.merkleMismatch());
                if (r.merkleOk() + r.merkleMismatch() < BlockChecker.ROUND && r.linksOk() + r.linksBroken() < BlockChecker.ROUND) return;
            } catch (SQLException e) {
                // the blocks stay pending; the next batch (of any instance) checks them
                Logger.warn("ingest: block check failed ({}); left for the next round", e.getMessage());
                dropConnection();
                return;
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) connection = db.connect();
        return connection;
    }

    private void dropConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            // broken anyway
        }
        connection = null;
    }

    /** Messages waiting for their device's certificate (not acknowledged). */
    public int held() {
        return held.size();
    }

    public void close() {
        verifyPool.shutdownNow();
        dropConnection();
    }
}
