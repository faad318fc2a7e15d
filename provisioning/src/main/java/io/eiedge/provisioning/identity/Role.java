package io.eiedge.provisioning.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The role a device plays in its subnet; it is part of the device certificate's SAN URI. */
public enum Role {
    ROUTER, EXCHANGE, INTERFACE;

    /** The lower-case name used in URNs, topics and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String label) {
        for (Role r : values()) {
            if (r.label().equals(label)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** "router|exchange|interface", for messages. */
    public static String choices() {
        return Arrays.stream(values()).map(Role::label).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return label();
    }
}
