package io.eiedge.runtime.watch;

import java.time.Instant;

/**
 * One item the watcher handled, as it is reported line by line ({@code --json}, {@code --csv}).
 *
 * @param number the reading's seq or the header's height; -1 when it has none
 * @param detail why it was refused or held, or a short description; empty for a plain verified item
 */
public record WatchEvent(Instant time, WatchTopic.Leaf item, Outcome outcome, String subnet, String device, long number,
                         String detail) {

    /** What became of it. */
    public enum Outcome {
        /** Verified against the registrar root (and, for a block, its Merkle root). */
        VERIFIED,
        /** An identical copy of something already verified: a QoS 1 or outbox re-delivery. */
        DUPLICATE,
        /** Kept until its device's certificate arrives. */
        HELD,
        /** Refused; a {@link Problem} says why. */
        REFUSED,
        /** Taken note of without verification (device state messages). */
        NOTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
