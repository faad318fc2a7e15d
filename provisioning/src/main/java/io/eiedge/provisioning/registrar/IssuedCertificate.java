package io.eiedge.provisioning.registrar;

import io.eiedge.provisioning.identity.DeviceName;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * One certificate the registrar issued, as its store remembers it. Revocation replaces the record
 * with one that carries the time and reason; nothing is ever deleted (a device that leaves the
 * market is revoked, not forgotten).
 *
 * @param kidHex SHA-256 of the certified SubjectPublicKeyInfo, hex (the COSE kid)
 * @param der    the certificate as issued
 */
public record IssuedCertificate(BigInteger serial, DeviceName name, String kidHex, Instant notBefore, Instant notAfter,
                                Instant issuedAt, String issuedBy, byte[] der,
                                Optional<Instant> revokedAt, Optional<RevocationReason> reason) {

    public IssuedCertificate {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }

    /** Not revoked and not expired at the given time: the id is taken. */
    public boolean isLive(Instant now) {
        return !isRevoked() && now.isBefore(notAfter);
    }

    public String serialHex() {
        return serial.toString(16);
    }

    public IssuedCertificate revoked(Instant when, RevocationReason why) {
        return new IssuedCertificate(serial, name, kidHex, notBefore, notAfter, issuedAt, issuedBy, der,
                Optional.of(when), Optional.of(why));
    }
}
