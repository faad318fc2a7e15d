package io.eiedge.runtime.node;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.runtime.mqtt.TlsIdentity;

import java.util.Optional;

/**
 * What a node signs and connects with: the Ed25519 key (for the chain), its certificate, and
 * the JDK-native TLS material for MQTT (absent only with an insecure broker).
 */
public record NodeIdentity(Ed25519PrivateKey key, byte[] certificateDer, Optional<TlsIdentity> tls) {
    public NodeIdentity {
        certificateDer = certificateDer.clone();
    }
}
