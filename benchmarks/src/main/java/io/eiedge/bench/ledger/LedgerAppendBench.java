package io.eiedge.bench.ledger;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.SignedReading;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Durable appends through {@link Chain#append}: every call returns only once its readings
 * are fsynced, on a chain in a directory on the real disk ({@code -Dledger.bench.dir}, default
 * /var/tmp; tmpfs is refused). Scores are readings per second. Three shapes of load: a poll
 * cycle of 4 meters values per call, one of 32, and 4 threads each appending single drafts
 * (group commit shares their fsyncs). Default block policy (4096 readings / 300 s).
 *
 * <p>The 32-per-call fork also measures the footprint: after its run it tops the chain up to
 * {@value #FOOTPRINT_READINGS} readings, closes it, and divides the bytes of every file in the
 * chain directory by the bytes of the readings' COSE_Sign1 objects.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class LedgerAppendBench {
    static final int FOOTPRINT_READINGS = 150_000;

    @State(Scope.Benchmark)
    public abstract static class ChainState {
        Path dir;
        Chain chain;
        RateMeter meter;
        List<ReadingDraft> batch;
        final ReadingDraft single = LedgerFixture.gridDraft(System.currentTimeMillis(), 123_456_789L);

        abstract String name();

        abstract int batchSize();

        @Setup(Level.Trial)
        public void open() throws Exception {
            LedgerFixture fixture = new LedgerFixture();
            dir = LedgerFixture.newChainDir(name());
            System.out.printf("%n[%s] chain in %s on %s%n", name(), dir, LedgerFixture.describeStore());
            chain = Chain.open(dir, fixture.identity, BlockPolicy.DEFAULT, Retention.DEFAULT, List::of, InstantSource.system());
            batch = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (int i = 0; i < batchSize(); i++) {
                batch.add(LedgerFixture.gridDraft(now, 123_456_789L + i));
            }
            meter = new RateMeter(name());
        }

        @Setup(Level.Iteration)
        public void iterationStarts() {
            meter.iterationStarts();
        }

        @TearDown(Level.Iteration)
        public void iterationEnds(IterationParams params) {
            meter.iterationEnds(params);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            try {
                System.out.printf("%n[%s] appended %,d readings, chain height %d%n", name(), chain.nextSeq() - 1, chain.head().height());
                afterRun();
                if (chain != null) {
                    chain.close();
                    chain = null;
                }
                meter.report();
            } finally {
                if (chain != null) {
                    chain.close();
                }
                LedgerFixture.deleteTree(dir);
            }
        }

        void afterRun() throws Exception {
        }
    }

    public static class PollOf4 extends ChainState {
        String name() {
            return LedgerRatios.APPEND_4;
        }

        int batchSize() {
            return 4;
        }
    }

    public static class PollOf32 extends ChainState {
        String name() {
            return LedgerRatios.APPEND_32;
        }

        int batchSize() {
            return 32;
        }

        /** Footprint: top up to {@link #FOOTPRINT_READINGS}, then disk bytes ÷ COSE bytes. */
        @Override
        void afterRun() throws Exception {
            while (chain.nextSeq() - 1 < FOOTPRINT_READINGS) {
                chain.append(batch);
            }
            long readings = chain.nextSeq() - 1;
            long coseBytes = 0;
            for (long seq = 1; seq <= readings; ) {
                List<SignedReading> chunk = chain.readingsFrom(seq, 4096);
                for (SignedReading r : chunk) {
                    coseBytes += r.cose().encodedLength();
                }
                seq = chunk.get(chunk.size() - 1).seq() + 1;
            }
            chain.close();
            chain = null;
            long diskBytes;
            StringBuilder files = new StringBuilder();
            try (Stream<Path> all = Files.walk(dir)) {
                diskBytes = 0;
                for (Path p : all.filter(Files::isRegularFile).toList()) {
                    long size = Files.size(p);
                    diskBytes += size;
                    if (!p.getParent().getFileName().toString().equals("readings")) {
                        files.append(String.format("    %-28s %,12d bytes%n", dir.relativize(p), size));
                    }
                }
            }
            long segmentBytes = segmentBytes(dir.resolve("readings"));
            System.out.printf("[footprint] %,d readings: COSE %,d bytes (%.1f per reading); on disk %,d bytes"
                            + " (reading segments %,d = %.3f x COSE; everything else %,d)%n%s",
                    readings, coseBytes, (double) coseBytes / readings, diskBytes, segmentBytes, (double) segmentBytes / coseBytes,
                    diskBytes - segmentBytes, files);
            LedgerRatios.record(LedgerRatios.DISK_READINGS, readings);
            LedgerRatios.record(LedgerRatios.DISK_PER_COSE, (double) diskBytes / coseBytes);
        }

        private static long segmentBytes(Path readings) throws IOException {
            try (Stream<Path> s = Files.list(readings)) {
                long total = 0;
                for (Path p : s.toList()) {
                    total += Files.size(p);
                }
                return total;
            }
        }
    }

    public static class Single extends ChainState {
        String name() {
            return LedgerRatios.APPEND_THREADS;
        }

        int batchSize() {
            return 1;
        }
    }

    /** A poll cycle of 4 values handed to the chain in one call: one fsync per 4 readings. */
    @Benchmark
    @OperationsPerInvocation(4)
    public List<SignedReading> appendPollOf4(PollOf4 s) throws LedgerStoreException {
        List<SignedReading> out = s.chain.append(s.batch);
        s.meter.add(4);
        return out;
    }

    /** A poll cycle of 32 values in one call: one fsync per 32 readings. */
    @Benchmark
    @OperationsPerInvocation(32)
    public List<SignedReading> appendPollOf32(PollOf32 s) throws LedgerStoreException {
        List<SignedReading> out = s.chain.append(s.batch);
        s.meter.add(32);
        return out;
    }

    /** Four meter threads each appending their own reading: group commit shares the fsync. */
    @Benchmark
    @Threads(4)
    public SignedReading append4ThreadsSingle(Single s) throws LedgerStoreException {
        SignedReading r = s.chain.append(s.single);
        s.meter.add(1);
        return r;
    }
}
