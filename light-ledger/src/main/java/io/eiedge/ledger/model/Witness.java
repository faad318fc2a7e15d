package io.eiedge.ledger.model;

import java.util.Objects;

/** A peer header this device verified: {@code [peer device id, height, header hash]}. */
public record Witness(String deviceId, long height, Hash32 headerHash) {
    public Witness {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(headerHash, "headerHash");
    }
}
