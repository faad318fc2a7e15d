package io.eiedge.runtime.config;

import java.util.Objects;

/** Who this node is: the ids its certificate carries ({@code CN=id, OU=subnet}) and its role. */
public record DeviceConfig(String id, String subnet, Role role) {

    public DeviceConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(role, "role");
    }

    /** The device roles of DESIGN.md; only the exchange publishes the subnet balance. */
    public enum Role implements ConfigName {
        ROUTER("router"), EXCHANGE("exchange"), INTERFACE("interface");

        private final String name;

        Role(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }
}
