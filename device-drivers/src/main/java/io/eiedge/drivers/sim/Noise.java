package io.eiedge.drivers.sim;

/** Deterministic noise: a pure function of (seed, key), so a simulation needs no random state. */
final class Noise {
    private Noise() {
    }

    /** Uniform in [0, 1). SplitMix64's finaliser over the seed and key. */
    static double uniform(long seed, long key) {
        long z = seed + key * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
