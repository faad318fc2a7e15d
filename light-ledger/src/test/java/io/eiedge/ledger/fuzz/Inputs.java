package io.eiedge.ledger.fuzz;

import com.upokecenter.cbor.CBORObject;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fuzz inputs: mostly mutations of valid vectors (where the interesting bugs hide, just past
 * the first checks), plus random bytes, nesting bombs, absurd declared lengths and random
 * structured CBOR in the shape of the contract's maps.
 */
final class Inputs {
    /** Bytes that change CBOR's meaning most: major-type boundaries, 8-byte lengths, indefinite starts, break, tags, floats. */
    private static final int[] INTERESTING = {0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x38, 0x3b, 0x40, 0x58,
            0x5b, 0x5f, 0x60, 0x78, 0x7b, 0x7f, 0x80, 0x84, 0x98, 0x9b, 0x9f, 0xa0, 0xa1, 0xb8, 0xbb, 0xbf, 0xc0, 0xc2, 0xd2,
            0xd8, 0xdb, 0xf4, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff};

    private Inputs() {
    }

    static byte[] next(Random rnd, List<byte[]> primary, List<byte[]> all) {
        int kind = rnd.nextInt(100);
        if (kind < 70) {
            List<byte[]> from = rnd.nextInt(4) == 0 ? all : primary;
            byte[] base = from.get(rnd.nextInt(from.size()));
            byte[] out = mutate(rnd, base, all);
            for (int extra = rnd.nextInt(3); extra > 0; extra--) { // stacked mutations
                out = mutate(rnd, out, all);
            }
            return out;
        }
        if (kind < 80) {
            return randomBytes(rnd);
        }
        if (kind < 85) {
            return bomb(rnd);
        }
        return StructuredCbor.next(rnd);
    }

    private static byte[] mutate(Random rnd, byte[] in, List<byte[]> all) {
        if (in.length == 0) {
            return new byte[]{(byte) rnd.nextInt(256)};
        }
        byte[] b = in.clone();
        switch (rnd.nextInt(9)) {
            case 0 -> { // bit flips
                for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
                    int i = rnd.nextInt(b.length);
                    b[i] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 1 -> { // an interesting byte
                b[rnd.nextInt(b.length)] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                return b;
            }
            case 2 -> { // insert bytes
                int at = rnd.nextInt(b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(4)];
                for (int i = 0; i < ins.length; i++) {
                    ins[i] = (byte) (rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : rnd.nextInt(256));
                }
                return splice(b, at, at, ins);
            }
            case 3 -> { // delete bytes
                int at = rnd.nextInt(b.length);
                return splice(b, at, Math.min(b.length, at + 1 + rnd.nextInt(4)), new byte[0]);
            }
            case 4 -> { // truncate
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            }
            case 5 -> { // splice: a prefix of this, the rest of another
                byte[] other = all.get(rnd.nextInt(all.size()));
                int cut = rnd.nextInt(b.length + 1);
                int from = rnd.nextInt(other.length + 1);
                return splice(Arrays.copyOf(b, cut), cut, cut, Arrays.copyOfRange(other, from, other.length));
            }
            case 6 -> { // a chunk of another object inserted
                byte[] other = all.get(rnd.nextInt(all.size()));
                int from = rnd.nextInt(other.length);
                int to = Math.min(other.length, from + 1 + rnd.nextInt(40));
                int at = rnd.nextInt(b.length + 1);
                return splice(b, at, rnd.nextBoolean() ? at : Math.min(b.length, at + (to - from)), Arrays.copyOfRange(other, from, to));
            }
            case 7 -> { // duplicate a chunk of itself
                int from = rnd.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rnd.nextInt(16));
                int at = rnd.nextInt(b.length + 1);
                return splice(b, at, at, Arrays.copyOfRange(b, from, to));
            }
            default -> { // a small arithmetic change (lengths, integers)
                int i = rnd.nextInt(b.length);
                b[i] = (byte) (b[i] + rnd.nextInt(9) - 4);
                return b;
            }
        }
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        byte[] out = new byte[b.length - (to - from) + ins.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(ins, 0, out, from, ins.length);
        System.arraycopy(b, to, out, from + ins.length, b.length - to);
        return out;
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 2000 : 200)];
        rnd.nextBytes(b);
        if (b.length > 2 && rnd.nextBoolean()) { // often start like a COSE_Sign1 or a map so more gets parsed
            b[0] = (byte) (rnd.nextBoolean() ? 0xd2 : 0xa7);
            b[1] = (byte) 0x84;
        }
        return b;
    }

    /** Deep nesting and lengths far beyond the input: a decoder must neither recurse nor allocate without bound. */
    private static byte[] bomb(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (rnd.nextInt(6)) {
            case 0 -> { // nested arrays, up to 100k deep
                int depth = 1 + rnd.nextInt(rnd.nextBoolean() ? 100 : 100_000);
                for (int i = 0; i < depth; i++) {
                    out.write(0x81);
                }
                out.write(0x00);
            }
            case 1 -> { // nested maps {1: {1: ...}}
                int depth = 1 + rnd.nextInt(50_000);
                for (int i = 0; i < depth; i++) {
                    out.write(0xa1);
                    out.write(0x01);
                }
                out.write(0x00);
            }
            case 2 -> { // nested tags
                int depth = 1 + rnd.nextInt(50_000);
                out.write(0xd2);
                for (int i = 0; i < depth; i++) {
                    out.write(0xc6);
                }
                out.write(0x00);
            }
            case 3 -> { // nested indefinite arrays, unterminated
                int depth = 1 + rnd.nextInt(50_000);
                for (int i = 0; i < depth; i++) {
                    out.write(0x9f);
                }
            }
            case 4 -> { // a byte/text string or array declaring an enormous length
                int major = new int[]{0x5b, 0x7b, 0x9b, 0xbb, 0x5a, 0x9a}[rnd.nextInt(6)];
                out.write(0xd2);
                out.write(0x84);
                out.write(major);
                int n = (major & 0x1f) == 0x1b ? 8 : 4;
                for (int i = 0; i < n; i++) {
                    out.write(i == 0 ? rnd.nextInt(256) : 0xff);
                }
                out.write(0x00);
            }
            default -> { // a map with very many entries
                int entries = 1 + rnd.nextInt(20_000);
                out.write(0xb9);
                out.write(entries >> 8);
                out.write(entries & 0xff);
                for (int i = 0; i < entries; i++) {
                    out.write(0x01);
                    out.write(0x01);
                }
            }
        }
        return out.toByteArray();
    }

    /** Random CBOR in the contract's shapes (integer-keyed maps, value triples, arrays of hashes), canonically encoded. */
    static final class StructuredCbor {
        private StructuredCbor() {
        }

        static byte[] next(Random rnd) {
            CBORObject o = switch (rnd.nextInt(4)) {
                case 0 -> contractMap(rnd, 7);
                case 1 -> contractMap(rnd, 10);
                case 2 -> CBORObject.NewArray().Add(value(rnd, 0)).Add(value(rnd, 0)).Add(value(rnd, 0)).Add(hashes(rnd));
                default -> {
                    CBORObject payload = contractMap(rnd, rnd.nextBoolean() ? 7 : 10);
                    CBORObject protectedMap = CBORObject.NewMap().Add(1, rnd.nextInt(5) == 0 ? value(rnd, 0) : CBORObject.FromObject(-8));
                    byte[] kid = new byte[rnd.nextInt(6) == 0 ? rnd.nextInt(40) : 32];
                    byte[] sig = new byte[rnd.nextInt(6) == 0 ? rnd.nextInt(80) : 64];
                    rnd.nextBytes(kid);
                    rnd.nextBytes(sig);
                    CBORObject array = CBORObject.NewArray().Add(protectedMap.EncodeToBytes()).Add(CBORObject.NewMap().Add(4, kid))
                            .Add(payload.EncodeToBytes()).Add(sig);
                    yield rnd.nextInt(8) == 0 ? array : CBORObject.FromObjectAndTag(array, 18);
                }
            };
            return o.EncodeToBytes();
        }

        private static CBORObject contractMap(Random rnd, int keys) {
            CBORObject m = CBORObject.NewMap();
            for (int k = 1; k <= keys; k++) {
                if (rnd.nextInt(12) != 0) {
                    m.Add(k, value(rnd, k));
                }
            }
            if (rnd.nextInt(10) == 0) {
                m.Set(rnd.nextInt(40) - 5, value(rnd, 0));
            }
            return m;
        }

        private static CBORObject value(Random rnd, int key) {
            return switch (rnd.nextInt(12)) {
                case 0 -> CBORObject.FromObject(rnd.nextLong());
                case 1 -> CBORObject.FromObject(rnd.nextInt(3));
                case 2 -> CBORObject.FromObject(rnd.nextBoolean() ? "router-07" : Character.toString(anyCodePoint(rnd)));
                case 3 -> {
                    byte[] b = new byte[rnd.nextBoolean() ? 32 : rnd.nextInt(40)];
                    rnd.nextBytes(b);
                    yield CBORObject.FromObject(b);
                }
                case 4, 5 -> {
                    CBORObject values = CBORObject.NewMap();
                    String[] codes = {"1-0:1.8.0", "1-0:2.8.0", "1-0:16.7.0", "grid/1-0:1.8.0", "pv/6-0:1.0.0", "01-0:1.8.0", "1-0:1.8.256", "x"};
                    String[] units = {"Wh", "W", "V", "%EL", "kWh", "", "m3"};
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        values.Set(codes[rnd.nextInt(codes.length)], CBORObject.NewArray().Add(rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(1000))
                                .Add(rnd.nextInt(300) - 150).Add(units[rnd.nextInt(units.length)]));
                    }
                    yield values;
                }
                case 6 -> {
                    CBORObject witnesses = CBORObject.NewArray();
                    for (int i = rnd.nextInt(3); i > 0; i--) {
                        byte[] h = new byte[rnd.nextInt(5) == 0 ? 31 : 32];
                        rnd.nextBytes(h);
                        witnesses.Add(CBORObject.NewArray().Add("exchange-01").Add(rnd.nextInt(100)).Add(h));
                    }
                    yield witnesses;
                }
                case 7 -> CBORObject.FromObject(rnd.nextInt(1 << 20));
                case 8 -> CBORObject.FromObject(rnd.nextDouble());
                case 9 -> CBORObject.FromObjectAndTag(rnd.nextInt(100), rnd.nextInt(30));
                case 10 -> CBORObject.FromObject(new java.math.BigInteger(70, rnd).negate());
                default -> key == 4 || key == 7 ? CBORObject.FromObject(1_767_225_601_000L) : CBORObject.Null;
            };
        }

        /** Any Unicode scalar value (CBOR text must be valid UTF-8, so no lone surrogates). */
        private static int anyCodePoint(Random rnd) {
            int cp = rnd.nextInt(0x110000);
            return cp >= 0xd800 && cp <= 0xdfff ? 'x' : cp;
        }

        private static CBORObject hashes(Random rnd) {
            CBORObject a = CBORObject.NewArray();
            for (int i = rnd.nextInt(5); i > 0; i--) {
                byte[] h = new byte[rnd.nextInt(6) == 0 ? rnd.nextInt(40) : 32];
                rnd.nextBytes(h);
                a.Add(rnd.nextInt(10) == 0 ? CBORObject.FromObjectAndTag(h, 24) : CBORObject.FromObject(h));
            }
            return a;
        }
    }
}
