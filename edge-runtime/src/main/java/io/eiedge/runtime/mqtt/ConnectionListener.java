package io.eiedge.runtime.mqtt;

/**
 * Told when the uplink becomes usable and when it stops being usable. {@code connected} is called
 * on the uplink's thread, {@code disconnected} on Paho's callback thread; keep the work short and
 * hand it to your own thread.
 */
public interface ConnectionListener {

    /** Connected, the online state and the certificate are acknowledged: publishing may start. */
    void connected(long session);

    /** The connection is gone; every publish not yet acknowledged has failed. */
    void disconnected(Throwable cause);
}
