package io.eiedge.provisioning.identity;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code eiedge identity show} reports: who the device is, its certificate's validity and
 * issuer, and what the device's own CRL says about it. Made without the passphrase; the key is
 * checked against the certificate only when it can be read.
 *
 * @param state        the overall answer
 * @param detail       one line explaining the state
 * @param keyMatches   whether the key belongs to the certificate; empty when the key could not be read
 * @param fingerprint  short fingerprint of the certified key (or of the key alone before install)
 * @param daysToExpiry whole days left (negative once expired)
 */
public record IdentityStatus(State state, String detail, Optional<DeviceName> name, boolean keyPresent,
                             boolean keyEncrypted, boolean pendingKey, Optional<Boolean> keyMatches,
                             Optional<String> fingerprint, Optional<String> kidHex, Optional<BigInteger> serial,
                             Optional<Instant> notBefore, Optional<Instant> notAfter, Optional<String> issuer,
                             Optional<Long> daysToExpiry, Optional<Crl> crl) {

    public enum State { NO_KEY, NO_CERTIFICATE, VALID, EXPIRED, NOT_YET_VALID, REVOKED, UNTRUSTED, KEY_MISMATCH }

    /** The CRL on the device and its verdict about this device. */
    public record Crl(Optional<BigInteger> number, Instant thisUpdate, Optional<Instant> nextUpdate, boolean overdue,
                      boolean revokesThisDevice, Optional<String> revocation) {
    }
}
