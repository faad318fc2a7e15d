package io.eiedge.provisioning.registrar;

import java.time.Instant;

/**
 * A registrar decision, kept for audit: who decided what, when, about which device. Identity
 * decisions only; the registrar never holds energy data.
 *
 * @param seq      1, 2, 3 … in the order decisions were made
 * @param operator the person or script that decided (the OS user unless named with --operator)
 * @param action   what was done
 * @param deviceId the device concerned, or "" (root, CRL)
 * @param serialHex the certificate concerned, or ""
 * @param detail   one line: subnet/role, reason, validity…
 */
public record Decision(long seq, Instant at, String operator, Action action, String deviceId, String serialHex, String detail) {

    public enum Action { INITIALISED, ISSUED, RENEWED, REVOKED, CRL_ISSUED }
}
