package io.eiedge.bench.ledger;

import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.verify.VerificationException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * Signing and verification: raw BouncyCastle Ed25519 (the floor any ledger operation stands
 * on) against the ledger's own paths over the same bytes — {@code SignedReading.sign} (encode
 * + COSE + sign) and {@code LedgerVerifier.verifyReading} (strict decode + kid + signature +
 * identity). The message is the Sig_structure of a realistic 4-value grid reading.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class LedgerCryptoBench {

    /** Keys and bytes shared by all four benchmarks; each fork builds its own. */
    @State(Scope.Thread)
    public abstract static class Material {
        LedgerFixture fixture;
        byte[] seed;
        byte[] publicKey;
        Ed25519.PublicPoint point;
        byte[] message;
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        byte[] readingCose;
        RateMeter meter;

        abstract String name();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fixture = new LedgerFixture();
            seed = new byte[32];
            new SecureRandom().nextBytes(seed);
            publicKey = new byte[32];
            Ed25519.generatePublicKey(seed, 0, publicKey, 0);
            point = Ed25519.validatePublicKeyFullExport(publicKey, 0);
            message = LedgerFixture.sigStructure(LedgerFixture.gridReading(1));
            Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
            readingCose = SignedReading.sign(LedgerFixture.gridReading(1), fixture.key).cose().encoded();
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
        public void report() {
            System.out.printf("%n[%s] Sig_structure %d bytes, reading COSE_Sign1 %d bytes%n", name(), message.length, readingCose.length);
            meter.report();
        }
    }

    public static class SignState extends Material {
        String name() {
            return LedgerRatios.SIGN;
        }
    }

    public static class SignReadingState extends Material {
        String name() {
            return LedgerRatios.SIGN_READING;
        }
    }

    public static class RawVerifyState extends Material {
        String name() {
            return LedgerRatios.RAW_VERIFY;
        }
    }

    public static class VerifyState extends Material {
        String name() {
            return LedgerRatios.VERIFY;
        }
    }

    /** What {@code Ed25519PrivateKey.sign} does, without anything around it. */
    @Benchmark
    public byte[] rawEd25519Sign(SignState s) {
        Ed25519.sign(s.seed, 0, s.publicKey, 0, s.message, 0, s.message.length, s.signature, 0);
        s.meter.add(1);
        return s.signature;
    }

    /** A reading encoded, wrapped and signed: the CPU part of one append. */
    @Benchmark
    public SignedReading signReading(SignReadingState s) {
        s.meter.add(1);
        return SignedReading.sign(LedgerFixture.gridReading(42), s.fixture.key);
    }

    /** What {@code Ed25519PublicKey.verify} does (point decoded once), without anything around it. */
    @Benchmark
    public boolean rawEd25519Verify(RawVerifyState s) {
        s.meter.add(1);
        return Ed25519.verify(s.signature, 0, s.point, s.message, 0, s.message.length);
    }

    /** An aggregator checking one stored reading: decode, kid, signature, device identity. */
    @Benchmark
    public SignedReading verifyReading(VerifyState s) throws VerificationException {
        s.meter.add(1);
        return s.fixture.verifier.verifyReading(s.readingCose, s.fixture.device);
    }
}
