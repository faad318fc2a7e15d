package io.eiedge.runtime.mqtt;

/**
 * Where the device's chain stands, for the state message: newest reading seq and block height.
 * Supplied by whoever owns the ledger; {@link #NONE} before it exists.
 */
public record ChainPosition(long seq, long height) {
    public static final ChainPosition NONE = new ChainPosition(0, 0);
}
