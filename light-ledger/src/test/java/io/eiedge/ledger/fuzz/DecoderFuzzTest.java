package io.eiedge.ledger.fuzz;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.WireVectors;
import io.eiedge.ledger.codec.Cbor;
import io.eiedge.ledger.codec.HeaderCodec;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.codec.ReadingCodec;
import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.InclusionProof;
import io.eiedge.ledger.model.Hash32;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes every decoder of the wire contract with random bytes, with mutations of the valid
 * vectors (bit flips, byte insertions and deletions, truncations, splices, interesting
 * bytes), with nesting bombs and with random structured CBOR. The rule, for each decoder:
 * <ul>
 *   <li>the only way to refuse is {@link LedgerFormatException} — no other exception or error
 *       may escape, whatever the bytes;</li>
 *   <li>whatever is accepted re-encodes to exactly the input bytes (one object, one
 *       encoding), so a signature or hash over it means one thing.</li>
 * </ul>
 * Seeded: the seed is printed; rerun with {@code -Dfuzz.seed=N}, {@code -Dfuzz.cases=N} per
 * decoder. Failures list each distinct fault with the input in hex.
 */
class DecoderFuzzTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("fuzz.cases", 12_000);

    /** A decoder under test: decodes, and on success returns what it re-encodes to. */
    @FunctionalInterface
    interface RoundTrip {
        byte[] decodeAndReencode(byte[] input) throws LedgerFormatException;
    }

    private static final Map<String, RoundTrip> DECODERS = new LinkedHashMap<>();

    static {
        DECODERS.put("CoseSign1.decode", in -> cose(CoseSign1.decode(in)));
        DECODERS.put("SignedReading.decode", in -> {
            SignedReading r = SignedReading.decode(in);
            requireSame(ReadingCodec.encode(r.reading()), r.cose().payload(), "reading payload");
            return cose(r.cose());
        });
        DECODERS.put("SignedHeader.decode", in -> {
            SignedHeader h = SignedHeader.decode(in);
            byte[] payload = HeaderCodec.encode(h.header());
            requireSame(payload, h.cose().payload(), "header payload");
            requireSame(Hash32.sha256(payload).bytes(), h.hash().bytes(), "header hash");
            return cose(h.cose());
        });
        DECODERS.put("ReadingCodec.decode", in -> ReadingCodec.encode(ReadingCodec.decode(in)));
        DECODERS.put("HeaderCodec.decode", in -> HeaderCodec.encode(HeaderCodec.decode(in)));
        DECODERS.put("InclusionProof.decode", in -> InclusionProof.decode(in).encode());
    }

    /** COSE_Sign1 re-encoded from its decoded fields, independently of the decoder's kept bytes. */
    private static byte[] cose(CoseSign1 c) {
        byte[] protectedBytes = Cbor.encode(CBORObject.NewMap().Add(1, c.alg()));
        CBORObject array = CBORObject.NewArray().Add(protectedBytes).Add(CBORObject.NewMap().Add(4, c.kid().bytes()))
                .Add(c.payload()).Add(c.signature());
        byte[] rebuilt = CBORObject.FromObjectAndTag(array, CoseSign1.TAG).EncodeToBytes();
        requireSame(rebuilt, c.encoded(), "COSE_Sign1 kept bytes");
        return rebuilt;
    }

    private static void requireSame(byte[] reencoded, byte[] decodedFrom, String what) {
        if (!Arrays.equals(reencoded, decodedFrom)) {
            throw new RoundTripBroken(what + " re-encodes to " + HEX.formatHex(reencoded));
        }
    }

    private static final class RoundTripBroken extends RuntimeException {
        RoundTripBroken(String message) {
            super(message);
        }
    }

    /** The valid vectors, by kind, plus the negative ones: the seeds of every mutation. */
    private record Corpus(List<byte[]> readingCose, List<byte[]> headerCose, List<byte[]> readingPayloads,
                          List<byte[]> headerPayloads, List<byte[]> proofs, List<byte[]> negatives) {
        List<byte[]> all() {
            List<byte[]> all = new ArrayList<>();
            Stream.of(readingCose, headerCose, readingPayloads, headerPayloads, proofs, negatives).forEach(all::addAll);
            return all;
        }

        List<byte[]> primaryFor(String decoder) {
            return switch (decoder) {
                case "CoseSign1.decode" -> concat(readingCose, headerCose, negatives);
                case "SignedReading.decode" -> concat(readingCose, negatives);
                case "SignedHeader.decode" -> headerCose;
                case "ReadingCodec.decode" -> readingPayloads;
                case "HeaderCodec.decode" -> headerPayloads;
                default -> proofs;
            };
        }

        @SafeVarargs
        private static List<byte[]> concat(List<byte[]>... lists) {
            List<byte[]> out = new ArrayList<>();
            for (List<byte[]> l : lists) {
                out.addAll(l);
            }
            return out;
        }
    }

    private static Corpus corpus() {
        CBORObject v = WireVectors.load();
        List<byte[]> readingCose = new ArrayList<>();
        List<byte[]> readingPayloads = new ArrayList<>();
        for (CBORObject r : v.get("readings").getValues()) {
            readingCose.add(WireVectors.hex(r.get("cose_sign1_hex")));
            readingPayloads.add(WireVectors.hex(r.get("payload_hex")));
        }
        List<byte[]> headerCose = new ArrayList<>();
        List<byte[]> headerPayloads = new ArrayList<>();
        for (CBORObject h : v.get("headers").getValues()) {
            headerCose.add(WireVectors.hex(h.get("cose_sign1_hex")));
            headerPayloads.add(WireVectors.hex(h.get("payload_hex")));
        }
        List<byte[]> proofs = new ArrayList<>();
        for (CBORObject p : v.get("block1_inclusion_proofs").getValues()) {
            CBORObject path = CBORObject.NewArray();
            for (CBORObject h : p.get("path_hex").getValues()) {
                path.Add(WireVectors.hex(h));
            }
            proofs.add(Cbor.encode(CBORObject.NewArray().Add(1).Add(p.get("leaf_index").AsInt64Value())
                    .Add(p.get("tree_size").AsInt64Value()).Add(path)));
        }
        List<byte[]> negatives = new ArrayList<>();
        for (CBORObject n : v.get("negative_readings").getValues()) {
            negatives.add(WireVectors.hex(n.get("cose_sign1_hex")));
        }
        return new Corpus(readingCose, headerCose, readingPayloads, headerPayloads, proofs, negatives);
    }

    @TestFactory
    Stream<DynamicTest> everyDecoderRefusesOnlyWithItsOwnExceptionAndRoundTripsWhatItAccepts() {
        System.out.printf("decoder fuzz: seed %d (rerun with -Dfuzz.seed=%d), %d cases per decoder%n", SEED, SEED, CASES);
        Corpus corpus = corpus();
        return DECODERS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Random rnd = new Random(SEED ^ e.getKey().hashCode());
            Findings findings = new Findings(e.getKey());
            List<byte[]> primary = corpus.primaryFor(e.getKey());
            List<byte[]> all = corpus.all();
            int accepted = 0;
            // the valid vectors themselves must pass: otherwise the mutations prove nothing
            for (byte[] valid : primary) {
                if (e.getKey().endsWith("SignedReading.decode") || e.getKey().equals("CoseSign1.decode")) {
                    continue; // the corpus holds negatives for these two
                }
                assertTrue(findings.run(e.getValue(), valid), e.getKey() + " refuses a valid vector " + HEX.formatHex(valid));
            }
            for (int i = 0; i < CASES; i++) {
                byte[] input = Inputs.next(rnd, primary, all);
                if (findings.run(e.getValue(), input)) {
                    accepted++;
                }
            }
            System.out.printf("  %-22s %d cases, %d accepted%n", e.getKey(), CASES, accepted);
            findings.assertNone(SEED);
        }));
    }

    /** Distinct faults of one decoder, each with the first input that showed it. */
    private static final class Findings {
        private final String decoder;
        private final Map<String, String> faults = new LinkedHashMap<>();

        Findings(String decoder) {
            this.decoder = decoder;
        }

        /** Runs one input; true when the decoder accepted it (and it round-tripped). */
        boolean run(RoundTrip rt, byte[] input) {
            try {
                byte[] again = rt.decodeAndReencode(input);
                if (!Arrays.equals(again, input)) {
                    faults.putIfAbsent("accepted, re-encodes to other bytes: " + HEX.formatHex(again), HEX.formatHex(input));
                }
                return true;
            } catch (LedgerFormatException refused) {
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    faults.putIfAbsent("refusal without a message", HEX.formatHex(input));
                }
                return false;
            } catch (RoundTripBroken broken) {
                faults.putIfAbsent("accepted, " + broken.getMessage(), HEX.formatHex(input));
                return true;
            } catch (Throwable escaped) { // StackOverflowError and OutOfMemoryError count too
                StackTraceElement top = escaped.getStackTrace().length > 0 ? escaped.getStackTrace()[0] : null;
                faults.putIfAbsent("escaped " + escaped.getClass().getName() + " at " + top, HEX.formatHex(input)
                        + "\n      message: " + escaped.getMessage());
                return false;
            }
        }

        void assertNone(long seed) {
            if (!faults.isEmpty()) {
                StringBuilder sb = new StringBuilder(decoder + ": " + faults.size() + " distinct fault(s), seed " + seed + ":");
                faults.forEach((fault, input) -> sb.append("\n  ").append(fault).append("\n    input ").append(input));
                throw new AssertionError(sb.toString());
            }
        }
    }
}
