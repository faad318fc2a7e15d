package io.eiedge.ledger.crash;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The child process of {@link ChainCrashTest}: opens the chain in a directory and appends as
 * fast as it can until it is killed. After every {@code append} call has returned — that is,
 * once the chain has promised the readings are durable — it prints one line per reading,
 * {@code <seq> <sha256 of the COSE bytes>}, and flushes, so the parent knows exactly which
 * readings were promised and what they were.
 *
 * <p>Arguments: {@code dir seed maxReadingsPerBlock segmentBytes maxBatch threads sealAgeMs
 * deviceSeedHex deviceCertFile} (the identity comes in as arguments rather than from the wire
 * vectors: parsing those costs a child half a second, and 70 children are started).
 */
public final class CrashAppender {
    private static final String[] METERS = {"grid", "pv", "battery", "heat"};

    private CrashAppender() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        BlockPolicy policy = new BlockPolicy(Integer.parseInt(args[2]), Duration.ofMillis(Long.parseLong(args[6])));
        Retention retention = new Retention(Duration.ofDays(30), 0, Long.parseLong(args[3]));
        int maxBatch = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        ChainIdentity identity = new ChainIdentity("router-07", new Ed25519PrivateKey(HexFormat.of().parseHex(args[7])),
                Files.readAllBytes(Path.of(args[8])));

        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false);
        List<Witness> witnesses = List.of(new Witness("exchange-01", 7, Hash32.sha256(new byte[]{7})));
        out.println("opening"); // lets the parent aim a kill at recovery
        out.flush();
        long t0 = System.nanoTime();
        Chain chain = Chain.open(dir, identity, policy, retention, () -> witnesses, InstantSource.system());
        System.err.printf("chain opened in %d ms at next seq %d%n", (System.nanoTime() - t0) / 1_000_000, chain.nextSeq());
        synchronized (out) {
            out.println("open " + chain.nextSeq());
            out.flush();
        }
        List<Thread> appenders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random rnd = new Random(seed + t);
            Thread th = new Thread(() -> appendForever(chain, rnd, maxBatch, out), "appender-" + t);
            th.setDaemon(false);
            appenders.add(th);
            th.start();
        }
        for (Thread th : appenders) {
            th.join();
        }
    }

    private static void appendForever(Chain chain, Random rnd, int maxBatch, PrintStream out) {
        StringBuilder lines = new StringBuilder();
        try {
            long energy = System.currentTimeMillis() / 1000;
            while (true) {
                int n = 1 + rnd.nextInt(maxBatch);
                List<ReadingDraft> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(draft(rnd, energy++));
                }
                List<SignedReading> signed = chain.append(batch);
                // Only now, after append returned, may the parent count on these readings.
                lines.setLength(0);
                for (SignedReading r : signed) {
                    lines.append(r.seq()).append(' ').append(Hash32.sha256(r.cose().encoded()).hex()).append('\n');
                }
                synchronized (out) {
                    out.print(lines);
                    out.flush();
                }
                chain.sealIfDue(System.currentTimeMillis());
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(3); // the parent treats any exit of its own accord as a failure
        }
    }

    private static ReadingDraft draft(Random rnd, long energy) {
        String meter = METERS[rnd.nextInt(METERS.length)];
        long now = System.currentTimeMillis();
        return switch (meter) {
            case "grid" -> ReadingDraft.of(meter, now, ClockStatus.SYNCHRONISED, Map.of(
                    "1-0:1.8.0", new ScaledValue(energy, 0, "Wh"),
                    "1-0:2.8.0", new ScaledValue(energy / 3, 0, "Wh"),
                    "1-0:16.7.0", new ScaledValue(rnd.nextInt(20_000) - 10_000, 0, "W"),
                    "1-0:32.7.0", new ScaledValue(2300 + rnd.nextInt(50), -1, "V")), Quality.GOOD);
            case "pv" -> ReadingDraft.of(meter, now, ClockStatus.SYNCHRONISED, Map.of(
                    "1-0:2.8.0", new ScaledValue(energy * 7, -3, "Wh")), Quality.GOOD);
            case "battery" -> rnd.nextInt(8) == 0
                    ? ReadingDraft.of(meter, now, ClockStatus.UNSYNCHRONISED, Map.of(), Quality.TIMEOUT)
                    : ReadingDraft.of(meter, now, ClockStatus.SYNCHRONISED, Map.of(
                    "1-0:1.8.0", new ScaledValue(energy, 0, "Wh"),
                    "0-0:96.6.1", new ScaledValue(rnd.nextInt(1001), -1, "%EL")), Quality.GOOD);
            default -> ReadingDraft.of(meter, now, ClockStatus.RELATIVE, Map.of(
                    "6-0:1.0.0", new ScaledValue(energy * 3600, 0, "J")), Quality.SIMULATED);
        };
    }
}
