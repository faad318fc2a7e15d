package io.eiedge.runtime.balance;

import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import org.tinylog.Logger;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The exchange role's duty: once per own block, the subnet balance over the newest verified header
 * of every device (this one's new header included), signed as a COSE_Sign1 with the device key
 * (protected {@code {1: -8}}, kid = SHA-256 of the certificate's SPKI) and handed to the sink
 * (the MQTT balance topic, retained).
 */
public final class BalancePublisher {
    private final String subnet;
    private final Ed25519PrivateKey key;
    private final Supplier<List<SignedHeader>> peerHeads;
    private final Consumer<byte[]> sink;
    private final InstantSource clock;

    /** @param peerHeads the newest verified header of every peer that counts (not frozen, not revoked) */
    public BalancePublisher(String subnet, Ed25519PrivateKey key, Supplier<List<SignedHeader>> peerHeads,
                            Consumer<byte[]> sink, InstantSource clock) {
        this.subnet = subnet;
        this.key = key;
        this.peerHeads = peerHeads;
        this.sink = sink;
        this.clock = clock;
    }

    /** Computes, signs and publishes the balance after {@code ownHead} was sealed; returns the COSE bytes. */
    public byte[] sealed(SignedHeader ownHead) {
        List<SignedHeader> heads = new ArrayList<>(peerHeads.get());
        heads.removeIf(h -> h.deviceId().equals(ownHead.deviceId()));
        heads.add(ownHead);
        SubnetBalance balance = BalanceCalculator.compute(subnet, clock.millis(), heads);
        byte[] cose = CoseSign1.sign(balance.encode(), key).encoded();
        try {
            sink.accept(cose);
        } catch (RuntimeException e) {
            Logger.error(e, "subnet {}: publishing the balance of block {}", subnet, ownHead.height());
        }
        Logger.debug("subnet {}: balance of {} devices at own height {}: {}", subnet, heads.size(), ownHead.height(), balance.totals());
        return cose;
    }
}
