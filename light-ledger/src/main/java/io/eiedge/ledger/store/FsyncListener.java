package io.eiedge.ledger.store;

/**
 * Told how long each fsync of a ledger log took, so the runtime can show the storage's health
 * (a dying SD card shows as fsyncs of hundreds of milliseconds long before it fails). Called on
 * the thread that synced, right after the fsync returned: keep it to a few counter updates.
 */
@FunctionalInterface
public interface FsyncListener {
    /** Nobody listens. */
    FsyncListener NONE = nanos -> { };

    /** @param nanos how long the fsync took */
    void synced(long nanos);
}
