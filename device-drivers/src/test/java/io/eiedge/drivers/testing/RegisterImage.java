package io.eiedge.drivers.testing;

import io.eiedge.drivers.modbus.WordOrder;

import java.util.Map;
import java.util.TreeMap;

/** A device's registers for test slaves: holding and input tables, address → 16-bit word. */
public final class RegisterImage {
    public final Map<Integer, Integer> holding = new TreeMap<>();
    public final Map<Integer, Integer> input = new TreeMap<>();

    public RegisterImage inputFloat(int address, float value, WordOrder order) {
        int[] w = order.split(Float.floatToIntBits(value) & 0xFFFF_FFFFL, 2);
        input.put(address, w[0]);
        input.put(address + 1, w[1]);
        return this;
    }

    public RegisterImage inputBits(int address, int bits) {
        input.put(address, (bits >>> 16) & 0xFFFF);
        input.put(address + 1, bits & 0xFFFF);
        return this;
    }

    public RegisterImage holding(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            holding.put(address + i, words[i] & 0xFFFF);
        }
        return this;
    }

    /** An SDM630 showing the given values (float32, in the given word order; a real SDM uses ABCD). */
    public static RegisterImage sdm630(WordOrder order, float importKwh, float exportKwh) {
        RegisterImage r = new RegisterImage();
        for (int a = 0; a < 0x60; a++) {
            r.input.put(a, 0);
        }
        r.inputFloat(0x00, 230.1f, order).inputFloat(0x02, 231.4f, order).inputFloat(0x04, 229.8f, order)
                .inputFloat(0x06, 5.25f, order).inputFloat(0x08, 0.5f, order).inputFloat(0x0A, 12.75f, order)
                .inputFloat(0x0C, 1180.5f, order).inputFloat(0x0E, -95.25f, order).inputFloat(0x10, 2900f, order)
                .inputFloat(0x34, 3985.25f, order).inputFloat(0x38, 4100f, order).inputFloat(0x46, 50.02f, order)
                .inputFloat(0x48, importKwh, order).inputFloat(0x4A, exportKwh, order);
        return r;
    }

    /** A SunSpec three-phase meter (model 203) at 40000, after a common model 1. */
    public static RegisterImage sunspecMeter() {
        RegisterImage r = new RegisterImage();
        int a = 40000;
        r.holding(a, 0x5375, 0x6E53);
        r.holding(a + 2, 1, 66);
        for (int i = 0; i < 66; i++) {
            r.holding(a + 4 + i, 0);
        }
        int m = a + 4 + 66;
        int[] body = new int[105];
        body[0] = 1580; body[1] = 523; body[2] = 530; body[3] = 527; body[4] = -2;   // A, AphA..C, A_SF
        body[5] = 2300; body[6] = 2301; body[7] = 2299; body[8] = 2310; body[13] = -1; // V, V_SF
        body[14] = 5002; body[15] = -2;                                               // Hz, Hz_SF
        body[16] = -1520; body[17] = -500; body[18] = -510; body[19] = -510; body[20] = 0; // W, W_SF
        body[21] = 1600; body[25] = 0;                                                // VA, VA_SF
        body[36] = 1234567 >>> 16; body[37] = 1234567 & 0xFFFF;                       // TotWhExp
        body[44] = 7654321 >>> 16; body[45] = 7654321 & 0xFFFF;                       // TotWhImp
        body[52] = 1;                                                                 // TotWh_SF
        r.holding(m, 203, 105);
        r.holding(m + 2, body);
        r.holding(m + 2 + 105, 0xFFFF, 0);
        return r;
    }

    /** A SunSpec three-phase inverter (model 103) at base 50000; zeros at 0 and 40000. */
    public static RegisterImage sunspecInverterAt50000() {
        RegisterImage r = new RegisterImage();
        for (int i = 0; i < 4; i++) {
            r.holding(i, 0);
            r.holding(40000 + i, 0);
        }
        int a = 50000;
        r.holding(a, 0x5375, 0x6E53);
        int m = a + 2;
        int[] body = new int[50];
        body[0] = 1200; body[1] = 401; body[2] = 399; body[3] = 400; body[4] = -2;
        body[8] = 2305; body[9] = 2311; body[10] = 2298; body[11] = -1;
        body[12] = 3500; body[13] = 0;
        body[14] = 4998; body[15] = -2;
        body[16] = 3600; body[17] = 0;
        body[22] = 98765432 >>> 16; body[23] = 98765432 & 0xFFFF; body[24] = 0;
        r.holding(m, 103, 50);
        r.holding(m + 2, body);
        r.holding(m + 52, 0xFFFF, 0);
        return r;
    }
}
