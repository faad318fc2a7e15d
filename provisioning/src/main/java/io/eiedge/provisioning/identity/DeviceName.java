package io.eiedge.provisioning.identity;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;

import java.util.regex.Pattern;

/**
 * Who a device is: its id, its subnet and its role. These three travel in the certificate as
 * {@code CN=<id>, OU=<subnet>} and as the SAN URI {@code urn:eiedge:<subnet>:<role>:<id>}.
 *
 * <p>Ids and subnets are restricted to letters, digits, '.', '_' and '-' (1 to 64 characters,
 * starting with a letter or digit): they become parts of a URN (':' separates fields) and of MQTT
 * topics (where '/', '+' and '#' mean something).
 */
public record DeviceName(String deviceId, String subnet, Role role) {

    public static final String URN_PREFIX = "urn:eiedge:";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public DeviceName {
        requireToken("device id", deviceId);
        requireToken("subnet", subnet);
        if (role == null) {
            throw new IllegalArgumentException("role is missing (" + Role.choices() + ")");
        }
    }

    /** Builds a name from user input, with a refusal naming the field that is wrong. */
    public static DeviceName of(String deviceId, String subnet, String role) throws ProvisioningException {
        Role r = Role.parse(role).orElseThrow(() -> new ProvisioningException(Problem.INVALID_INPUT,
                "role '" + role + "' is not one of " + Role.choices()));
        try {
            return new DeviceName(deviceId, subnet, r);
        } catch (IllegalArgumentException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, e.getMessage());
        }
    }

    /** The SAN URI, {@code urn:eiedge:<subnet>:<role>:<device id>}. */
    public String urn() {
        return URN_PREFIX + subnet + ":" + role.label() + ":" + deviceId;
    }

    /**
     * Parses a SAN URI; the refusal says which part is wrong.
     *
     * @param where what the URI was read from, for the message (e.g. "certificate of router-07")
     */
    public static DeviceName parseUrn(String uri, String where) throws ProvisioningException {
        if (uri == null || !uri.startsWith(URN_PREFIX)) {
            throw new ProvisioningException(Problem.INVALID_INPUT,
                    where + ": SAN URI '" + uri + "' does not start with " + URN_PREFIX);
        }
        String[] parts = uri.substring(URN_PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            throw new ProvisioningException(Problem.INVALID_INPUT,
                    where + ": SAN URI '" + uri + "' is not urn:eiedge:<subnet>:<role>:<device id>");
        }
        Role role = Role.parse(parts[1]).orElseThrow(() -> new ProvisioningException(Problem.INVALID_INPUT,
                where + ": SAN URI '" + uri + "' names role '" + parts[1] + "', not one of " + Role.choices()));
        try {
            return new DeviceName(parts[2], parts[0], role);
        } catch (IllegalArgumentException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, where + ": SAN URI '" + uri + "': " + e.getMessage());
        }
    }

    private static void requireToken(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (!TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' may hold only letters, digits, '.', '_' and '-' (1 to 64, starting with a letter or digit)");
        }
    }

    @Override
    public String toString() {
        return urn();
    }
}
