package io.eiedge.runtime.node;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.provisioning.identity.DeviceIdentity;
import io.eiedge.runtime.mqtt.TlsIdentity;

import java.util.List;
import java.util.Optional;

/**
 * What a node signs and connects with: the device identity (JDK-native key and certificates, for
 * DTLS and TLS), the Ed25519 key for the chain, and the TLS material for MQTT (absent only with an
 * insecure broker).
 */
public record NodeIdentity(DeviceIdentity device, Ed25519PrivateKey key, Optional<TlsIdentity> tls) {

    /** The identity as installed: TLS with the device certificate and the registrar root. */
    public static NodeIdentity of(DeviceIdentity device) {
        return new NodeIdentity(device, new Ed25519PrivateKey(device.seed()),
                Optional.of(new TlsIdentity(device.privateKey(), List.of(device.certificate()), device.root())));
    }

    /** For a plain (insecure) broker: the same identity without TLS material. */
    public static NodeIdentity withoutTls(DeviceIdentity device) {
        return new NodeIdentity(device, new Ed25519PrivateKey(device.seed()), Optional.empty());
    }

    public byte[] certificateDer() {
        return device.certificateDer();
    }
}
