package io.eiedge.runtime.watch;

import java.util.Optional;

/**
 * One topic of DESIGN.md's MQTT table, taken apart: {@code {prefix}/{subnet}/{device}/{leaf}} for
 * device topics (reading, header, cert, state) and {@code {prefix}/{subnet}/{leaf}} for subnet
 * topics (crl, alert, balance). The prefix may itself contain '/' (default {@code ei/v1}).
 *
 * @param device empty for subnet topics
 */
public record WatchTopic(String subnet, String device, Leaf leaf) {

    /** What a topic carries. */
    public enum Leaf {
        READING, HEADER, CERT, STATE, CRL, ALERT, BALANCE;

        boolean isDeviceTopic() {
            return this == READING || this == HEADER || this == CERT || this == STATE;
        }
    }

    /** Parses {@code topic} under {@code prefix}; empty for anything that is not an eiedge topic. */
    public static Optional<WatchTopic> parse(String prefix, String topic) {
        if (!topic.startsWith(prefix + "/")) return Optional.empty();
        String[] parts = topic.substring(prefix.length() + 1).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) return Optional.empty();
        }
        if (parts.length == 3) {
            return leaf(parts[2]).filter(Leaf::isDeviceTopic).map(l -> new WatchTopic(parts[0], parts[1], l));
        }
        if (parts.length == 2) {
            return leaf(parts[1]).filter(l -> !l.isDeviceTopic()).map(l -> new WatchTopic(parts[0], "", l));
        }
        return Optional.empty();
    }

    private static Optional<Leaf> leaf(String name) {
        return switch (name) {
            case "reading" -> Optional.of(Leaf.READING);
            case "header" -> Optional.of(Leaf.HEADER);
            case "cert" -> Optional.of(Leaf.CERT);
            case "state" -> Optional.of(Leaf.STATE);
            case "crl" -> Optional.of(Leaf.CRL);
            case "alert" -> Optional.of(Leaf.ALERT);
            case "balance" -> Optional.of(Leaf.BALANCE);
            default -> Optional.empty();
        };
    }
}
