package io.eiedge.runtime.sync;

import io.eiedge.ledger.peers.Equivocation;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import org.tinylog.Logger;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Following heads by MQTT: messages of {@code {prefix}/{subnet}/+/cert}, {@code …/+/header},
 * {@code {prefix}/{subnet}/crl} and {@code …/alert} handed in as (topic, payload). Certificates are
 * trusted through the same validator as DTLS peers; headers go to the same {@link HeaderIntake} as
 * CoAP ones. Retained header and cert messages may come in either order: the newest header of a
 * device whose certificate has not arrived yet waits for it.
 */
public final class MqttHeaderFeed implements BiConsumer<String, byte[]> {
    private final String subnetPrefix;
    private final String ownId;
    private final HeaderIntake intake;
    private final Revocation revocation;
    private final Runnable catchUp;
    private final Map<String, TrustedDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, byte[]> waiting = new ConcurrentHashMap<>();

    /** @param catchUp asked to run a CoAP round when MQTT shows a peer ahead of what we hold */
    MqttHeaderFeed(String prefix, String subnet, String ownId, HeaderIntake intake, Revocation revocation, Runnable catchUp) {
        this.subnetPrefix = prefix + "/" + subnet + "/";
        this.ownId = ownId;
        this.intake = intake;
        this.revocation = revocation;
        this.catchUp = catchUp;
    }

    /** The topic filters to subscribe to. */
    public java.util.List<String> filters() {
        return java.util.List.of(subnetPrefix + "+/cert", subnetPrefix + "+/header", subnetPrefix + "crl", subnetPrefix + "alert");
    }

    @Override
    public void accept(String topic, byte[] payload) {
        if (!topic.startsWith(subnetPrefix) || payload == null || payload.length == 0) {
            return;
        }
        String[] rest = topic.substring(subnetPrefix.length()).split("/");
        try {
            if (rest.length == 1 && rest[0].equals("crl")) {
                revocation.offer(payload, "MQTT " + topic);
            } else if (rest.length == 1 && rest[0].equals("alert")) {
                alert(payload);
            } else if (rest.length == 2 && !rest[0].equals(ownId)) {
                switch (rest[1]) {
                    case "cert" -> certificate(rest[0], payload);
                    case "header" -> header(rest[0], payload);
                    default -> {
                    }
                }
            }
        } catch (RuntimeException e) {
            Logger.warn("MQTT {}: {}", topic, e.toString());
        }
    }

    private void certificate(String deviceId, byte[] der) {
        TrustedDevice d;
        try {
            d = revocation.trust(der);
        } catch (VerificationException e) {
            Logger.warn("MQTT certificate of {} refused: {}", deviceId, e.getMessage());
            return;
        }
        if (!d.deviceId().equals(deviceId)) {
            Logger.warn("MQTT certificate on the topic of {} is the certificate of {}; ignored", deviceId, d.deviceId());
            return;
        }
        devices.put(deviceId, d);
        byte[] pending = waiting.remove(deviceId);
        if (pending != null) {
            header(deviceId, pending);
        }
    }

    private void header(String deviceId, byte[] cose) {
        TrustedDevice d = devices.get(deviceId);
        if (d == null) {
            waiting.put(deviceId, cose);
            return;
        }
        HeaderIntake.Result r = intake.offer("MQTT", d, HeaderIntake.one(cose));
        if (r.behind()) {
            catchUp.run();
        }
    }

    private void alert(byte[] payload) {
        try {
            Equivocation e = Equivocation.decode(payload);
            Optional<TrustedDevice> d = Optional.ofNullable(devices.get(e.deviceId()));
            Logger.warn("MQTT alert: evidence that {} signed two headers for height {}{}", e.deviceId(), e.height(),
                    d.isPresent() ? "" : " (its certificate is not known here)");
            // not fed to the store: an equivocation re-detected here would be re-published, and every
            // node would echo every alert; each node catches an equivocator itself when it syncs it
        } catch (io.eiedge.ledger.codec.LedgerFormatException ex) {
            Logger.warn("MQTT alert refused: {}", ex.getMessage());
        }
    }
}
