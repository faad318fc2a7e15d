package io.eiedge.ledger.chain;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.model.Hash32;

import java.util.Objects;

/**
 * Who writes a chain: the device id, its signing key and the DER certificate for that key
 * (its SHA-256 goes into every header, key 10).
 */
public record ChainIdentity(String deviceId, Ed25519PrivateKey key, byte[] certificateDer) {
    public ChainIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(key, "key");
        certificateDer = certificateDer.clone();
        if (deviceId.isEmpty()) {
            throw new IllegalArgumentException("device id must not be empty");
        }
    }

    public Hash32 certificateHash() {
        return Hash32.sha256(certificateDer);
    }

    @Override
    public byte[] certificateDer() {
        return certificateDer.clone();
    }
}
