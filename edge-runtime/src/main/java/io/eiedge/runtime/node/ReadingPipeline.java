package io.eiedge.runtime.node;

import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.chain.ReadingDraft;
import org.tinylog.Logger;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Meters hand their drafts here; one appender thread takes whatever has gathered and appends
 * it to the chain in one call — one fsync per cycle, however many meters answered — then
 * seals a block when the policy's age is reached. A full queue blocks the meters (back
 * pressure), so nothing read is ever dropped. If the disk refuses a write, the batch is kept
 * and retried: a reading is signed only when it can be stored.
 */
final class ReadingPipeline implements AutoCloseable {
    private static final int QUEUE = 8192;
    private static final int MAX_BATCH = 512;

    private final Chain chain;
    private final InstantSource clock;
    private final Runnable onAppended;
    private final Runnable onTurn;
    private final BlockingQueue<ReadingDraft> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastProblem;

    /** @param onTurn called after every turn of the loop, idle ones included — the watchdog's proof of life */
    ReadingPipeline(Chain chain, InstantSource clock, Runnable onAppended, Runnable onTurn) {
        this.chain = chain;
        this.clock = clock;
        this.onAppended = onAppended;
        this.onTurn = onTurn;
        this.thread = Thread.ofPlatform().name("appender-" + chain.deviceId()).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Called by meter threads; blocks while the appender is behind. */
    void accept(ReadingDraft draft) {
        try {
            queue.put(draft);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String lastProblem() {
        return lastProblem;
    }

    private void loop() {
        List<ReadingDraft> batch = new ArrayList<>();
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    ReadingDraft first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, MAX_BATCH - 1);
                    }
                }
                if (!batch.isEmpty()) {
                    chain.append(batch);
                    batch.clear();
                    onAppended.run();
                }
                chain.sealIfDue(clock.millis()).ifPresent(h -> onAppended.run());
                lastProblem = null;
                onTurn.run(); // only a turn that stored what it had counts: a failing disk starves the watchdog
            } catch (LedgerStoreException e) {
                lastProblem = e.getMessage();
                Logger.error("device {}: cannot store readings, retrying: {}", chain.deviceId(), e.getMessage());
                sleepQuietly(1000);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after everything queued is appended. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
