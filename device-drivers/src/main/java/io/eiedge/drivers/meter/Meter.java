package io.eiedge.drivers.meter;

/**
 * A meter the runtime polls. {@link #read()} never throws for device faults: a timeout, a bad
 * frame, an unplugged adapter or a nonsense value gives a {@link Sample} with the matching
 * {@link Quality} bits, and the next call tries again. A read returns within the meter's
 * configured timeout × (1 + retries), so a hung device cannot stall the caller.
 */
public interface Meter extends AutoCloseable {

    /** The meter id on this device, e.g. "grid", "pv". */
    String id();

    /** Reads the meter once. */
    Sample read();

    /** Why the last read was not good, in plain words, or null after a good read. */
    default String lastError() {
        return null;
    }

    /**
     * Until when (epoch ms) the meter leaves the wire alone after repeated failures (its
     * {@link FailurePolicy} back-off); 0 when it is not backing off or has no back-off.
     */
    default long backoffUntilMs() {
        return 0;
    }

    /** Releases the meter's port, socket or GPIO line; never throws. */
    @Override
    void close();
}
