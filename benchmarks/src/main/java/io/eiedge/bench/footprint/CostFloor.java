package io.eiedge.bench.footprint;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What a second of the daemon's work must cost at least: N Ed25519 signatures (BouncyCastle's
 * low-level {@code Ed25519.sign}, what the runtime signs with, over a 132-byte Sig_structure)
 * and one fdatasync of a small append on the data folder's disk, measured in this JVM before the
 * daemon starts. The daemon's CPU ÷ this floor says how much it spends beyond the work itself.
 *
 * @param signMicros      one signature, best of several rounds (the unloaded cost)
 * @param fdatasyncMicros one 220-byte append + fdatasync, median of 40 (wall time, mostly waiting)
 */
record CostFloor(double signMicros, double fdatasyncMicros) {

    static CostFloor measure(Path sameDiskDir) throws IOException {
        return new CostFloor(timeOneSignature(), timeOneFdatasync(sameDiskDir));
    }

    /** Floor of one second with {@code meters} readings and one fdatasync, in % of one core. */
    double percentOfCore(int meters) {
        return (meters * signMicros + fdatasyncMicros) / 1e6 * 100;
    }

    private static double timeOneSignature() {
        byte[] sk = new byte[32];
        Arrays.fill(sk, (byte) 3);
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        byte[] msg = new byte[132];
        byte[] sig = new byte[64];
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            int n = 4000;
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                msg[i % msg.length]++;
                Ed25519.sign(sk, 0, pk, 0, msg, 0, msg.length, sig, 0);
            }
            double us = (System.nanoTime() - t) / 1e3 / n;
            if (round >= 3) { // the first rounds warm the JIT
                best = Math.min(best, us);
            }
        }
        return best;
    }

    private static double timeOneFdatasync(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "fdatasync-", ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer frame = ByteBuffer.allocate(220);
            double[] us = new double[40];
            for (int i = -5; i < us.length; i++) {
                frame.clear();
                long t = System.nanoTime();
                ch.write(frame);
                ch.force(false); // fdatasync(2)
                if (i >= 0) {
                    us[i] = (System.nanoTime() - t) / 1e3;
                }
            }
            Arrays.sort(us);
            return us[us.length / 2];
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
