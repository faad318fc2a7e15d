package io.eiedge.runtime.watch;

import java.time.Instant;

/**
 * Something the watcher refused or found missing, with the reason in words.
 *
 * @param device the device concerned, or empty when unknown (a CRL, an unreadable certificate)
 * @param topic  where it was received, or empty for problems found by counting (seq gaps)
 */
public record Problem(Instant time, Kind kind, String subnet, String device, String topic, String detail) {

    /** Kinds of problem; every one makes {@code eiedge watch --check} fail. */
    public enum Kind {
        /** Bad signature, wrong kid, or signed by one device but claiming another. */
        FORGED,
        /** A device whose certificate the registrar revoked kept publishing. */
        REVOKED,
        /** A certificate that does not chain to the registrar root, is out of validity, or names another device. */
        UNTRUSTED_CERTIFICATE,
        /** Bytes that are not a valid object of the contract. */
        MALFORMED,
        /** Readings missing from a device's seq sequence (or announced by a header and never received). */
        SEQ_GAP,
        /** Two different validly signed readings for one seq, or headers for one height. */
        EQUIVOCATION,
        /** A header that does not link to the previous one (height, hash, seq continuity). */
        BROKEN_LINK,
        /** A block's readings do not hash to its header's Merkle root. */
        MERKLE_MISMATCH,
        /** A peer published equivocation evidence on the alert topic. */
        ALERT,
        /** Readings that could not be verified: their device's certificate never arrived. */
        UNVERIFIED,
        /** A CRL that is not the registrar's or not readable; the previous CRL stays in force. */
        BAD_CRL;

        /** Lower case with dashes, as printed and in JSON. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    @Override
    public String toString() {
        return kind.label() + " " + (device.isEmpty() ? (subnet.isEmpty() ? "-" : subnet) : subnet + "/" + device)
                + (topic.isEmpty() ? "" : " on " + topic) + ": " + detail;
    }
}
