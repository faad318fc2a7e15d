package io.eiedge.runtime.mqtt;

/**
 * Told when the uplink becomes usable and when it stops being usable. Called on the uplink's own
 * thread, one call at a time, in order; keep the work short (hand it to your own thread).
 */
public interface ConnectionListener {

    /** Connected, the online state and the certificate are acknowledged: publishing may start. */
    void connected(long session);

    /** The connection is gone; every publish not yet acknowledged has failed. */
    void disconnected(Throwable cause);
}
