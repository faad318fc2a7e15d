package io.eiedge.runtime.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole node configuration, as read from {@code /etc/eiedge/eiedge.yaml} by {@link ConfigLoader}.
 * Immutable; every section is present (optional sections carry their defaults).
 */
public record EiedgeConfig(DeviceConfig device, IdentityConfig identity, List<MeterConfig> meters,
                           LedgerConfig ledger, MqttConfig mqtt, CoapConfig coap, LoggingConfig logging, WebConfig web) {

    /** Where the daemon looks when no {@code --config} is given. */
    public static final String DEFAULT_PATH = "/etc/eiedge/eiedge.yaml";

    public EiedgeConfig {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(identity, "identity");
        meters = List.copyOf(meters);
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(coap, "coap");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(web, "web");
    }

    /** Without the web server (demo nodes, tests that build configurations in code). */
    public EiedgeConfig(DeviceConfig device, IdentityConfig identity, List<MeterConfig> meters,
                        LedgerConfig ledger, MqttConfig mqtt, CoapConfig coap, LoggingConfig logging) {
        this(device, identity, meters, ledger, mqtt, coap, logging, WebConfig.disabled());
    }

    /** The same configuration with another web section. */
    public EiedgeConfig withWeb(WebConfig w) {
        return new EiedgeConfig(device, identity, meters, ledger, mqtt, coap, logging, w);
    }
}
