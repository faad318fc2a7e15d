package io.eiedge.bench.ledger;

import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.codec.ReadingCodec;
import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.Reading;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of one reading goes, step by step, for when a ratio target is missed:
 * {@code java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/* io.eiedge.bench.ledger.LedgerCostBreakdown}.
 * Each step is timed in rounds interleaved with the others and the best round is kept, so a
 * busy machine disturbs the comparison less than separate JMH forks would.
 */
public final class LedgerCostBreakdown {
    private interface Step {
        void run(int i) throws Exception;
    }

    private LedgerCostBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        LedgerFixture fx = new LedgerFixture();
        byte[] seed = new byte[32];
        byte[] pub = new byte[32];
        Ed25519.generatePublicKey(seed, 0, pub, 0);
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(pub, 0);
        Reading reading = LedgerFixture.gridReading(70_000);
        byte[] msg = LedgerFixture.sigStructure(reading);
        byte[] sig = new byte[64];
        Ed25519.sign(seed, 0, pub, 0, msg, 0, msg.length, sig, 0);
        SignedReading signed = SignedReading.sign(reading, fx.key);
        byte[] cose = signed.cose().encoded();
        byte[] payload = signed.cose().payload();
        CoseSign1 decodedCose = CoseSign1.decode(cose);

        Path dir = LedgerFixture.newChainDir("breakdown");
        FileChannel raw = FileChannel.open(dir.resolve("fsync-probe"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        Chain chain4 = Chain.open(dir.resolve("c4"), fx.identity, BlockPolicy.DEFAULT, Retention.DEFAULT, List::of, InstantSource.system());
        Chain chain32 = Chain.open(dir.resolve("c32"), fx.identity, BlockPolicy.DEFAULT, Retention.DEFAULT, List::of, InstantSource.system());
        List<ReadingDraft> four = new ArrayList<>();
        List<ReadingDraft> thirtyTwo = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            (i < 4 ? four : thirtyTwo).add(LedgerFixture.gridDraft(System.currentTimeMillis(), 123_456_789L + i));
        }
        while (thirtyTwo.size() < 32) {
            thirtyTwo.add(LedgerFixture.gridDraft(System.currentTimeMillis(), 1));
        }
        ByteBuffer frame = ByteBuffer.allocate(8 + cose.length);

        // name -> (step, readings per call, calls per round)
        Map<String, Object[]> steps = new LinkedHashMap<>();
        steps.put("raw Ed25519 sign", new Object[]{(Step) i -> Ed25519.sign(seed, 0, pub, 0, msg, 0, msg.length, sig, 0), 1, 2000});
        steps.put("ReadingCodec.encode", new Object[]{(Step) i -> ReadingCodec.encode(reading), 1, 20000});
        steps.put("SignedReading.sign", new Object[]{(Step) i -> SignedReading.sign(reading, fx.key), 1, 2000});
        steps.put("MerkleTree.leafHash", new Object[]{(Step) i -> MerkleTree.leafHash(cose), 1, 20000});
        steps.put("write+fdatasync 1 frame", new Object[]{(Step) i -> {
            frame.clear();
            raw.write(frame);
            raw.force(false);
        }, 1, 100});
        steps.put("Chain.append 4/call", new Object[]{(Step) i -> chain4.append(four), 4, 100});
        steps.put("Chain.append 32/call", new Object[]{(Step) i -> chain32.append(thirtyTwo), 32, 30});
        steps.put("raw Ed25519 verify", new Object[]{(Step) i -> Ed25519.verify(sig, 0, point, msg, 0, msg.length), 1, 2000});
        steps.put("CoseSign1.decode", new Object[]{(Step) i -> CoseSign1.decode(cose), 1, 20000});
        steps.put("ReadingCodec.decode", new Object[]{(Step) i -> ReadingCodec.decode(payload), 1, 20000});
        steps.put("SignedReading.decode", new Object[]{(Step) i -> SignedReading.decode(cose), 1, 10000});
        steps.put("CoseSign1.verify (kid, Sig_structure, verify)", new Object[]{(Step) i -> decodedCose.verify(fx.device.key()), 1, 2000});
        steps.put("LedgerVerifier.verifyReading", new Object[]{(Step) i -> fx.verifier.verifyReading(cose, fx.device), 1, 2000});

        Map<String, Double> best = new LinkedHashMap<>();
        int rounds = Integer.getInteger("rounds", 8);
        for (int round = 0; round < rounds; round++) {
            for (var e : steps.entrySet()) {
                Step step = (Step) e.getValue()[0];
                int perCall = (int) e.getValue()[1];
                int calls = (int) e.getValue()[2];
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    step.run(i);
                }
                double usPerReading = (System.nanoTime() - t0) / 1000.0 / calls / perCall;
                if (round > 0) { // round 0 warms up
                    best.merge(e.getKey(), usPerReading, Math::min);
                }
            }
        }
        chain4.close();
        chain32.close();
        raw.close();
        LedgerFixture.deleteTree(dir);

        System.out.printf("%nper-reading cost, best of %d interleaved rounds, on %s (COSE %d bytes, Sig_structure %d bytes)%n",
                rounds - 1, LedgerFixture.describeStore(), cose.length, msg.length);
        best.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-48s %9.1f us  (%,.0f /s)%n", k, v, 1e6 / v));
    }
}
