package io.eiedge.provisioning.trust;

import io.eiedge.provisioning.identity.DeviceName;

import java.util.Optional;

/**
 * The answer about one peer certificate: trusted, naming the peer, or refused, with a reason a
 * program can switch on and a detail a person can read.
 *
 * @param peer    who the certificate names, when it could be read (also on some refusals, e.g. revoked)
 * @param refusal why it is refused; empty when trusted
 * @param detail  one line for logs and messages
 */
public record PeerVerdict(Optional<DeviceName> peer, Optional<Refusal> refusal, String detail) {

    public static PeerVerdict trusted(DeviceName peer) {
        return new PeerVerdict(Optional.of(peer), Optional.empty(), "trusted: " + peer);
    }

    public static PeerVerdict refused(Refusal why, DeviceName peer, String detail) {
        return new PeerVerdict(Optional.ofNullable(peer), Optional.of(why), detail);
    }

    public boolean isTrusted() {
        return refusal.isEmpty();
    }
}
