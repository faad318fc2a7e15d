package io.eiedge.bench.ledger;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a benchmark's operations over JMH's measurement iterations and hands the rate to
 * {@link LedgerRatios} at the end of the trial. JMH's own score is the authority; this
 * second count exists only because each benchmark runs in its own forked JVM and the ratios
 * need the figures of several of them. It agrees with the JMH score to within a few percent.
 */
final class RateMeter {
    private final String name;
    private final LongAdder ops = new LongAdder();
    private volatile long iterationStart;
    private long measuredNanos;
    private long measuredOps;

    RateMeter(String name) {
        this.name = name;
    }

    void add(long n) {
        ops.add(n);
    }

    void iterationStarts() {
        ops.reset();
        iterationStart = System.nanoTime();
    }

    void iterationEnds(IterationParams params) {
        long elapsed = System.nanoTime() - iterationStart;
        if (params.getType() == IterationType.MEASUREMENT) {
            measuredNanos += elapsed;
            measuredOps += ops.sum();
        }
    }

    /** Records the measured rate (operations per second) for the ratio table and prints the table so far. */
    void report() {
        if (measuredNanos > 0) {
            LedgerRatios.record(name, measuredOps * 1e9 / measuredNanos);
            LedgerRatios.print(System.out);
        }
    }
}
