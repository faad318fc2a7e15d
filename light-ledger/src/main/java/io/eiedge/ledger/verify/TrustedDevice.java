package io.eiedge.ledger.verify;

import io.eiedge.ledger.cose.Ed25519PublicKey;
import io.eiedge.ledger.model.Hash32;

/**
 * A device whose certificate chained to the registrar root: who it is (from the certificate's
 * SAN {@code urn:eiedge:<subnet>:<role>:<device id>}) and the key its readings must verify with.
 */
public record TrustedDevice(String deviceId, String subnet, String role, Ed25519PublicKey key, Hash32 certificateHash,
                            byte[] certificateDer) {
}
