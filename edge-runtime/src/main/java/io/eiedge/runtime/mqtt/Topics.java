package io.eiedge.runtime.mqtt;

import java.util.Objects;

/**
 * The MQTT topics of DESIGN.md ("Network"), for one device. Device topics are
 * {@code {prefix}/{subnet}/{device}/…}, subnet topics {@code {prefix}/{subnet}/…}.
 *
 * <table>
 *   <tr><th>topic</th><th>payload</th><th>retained</th></tr>
 *   <tr><td>reading</td><td>reading COSE_Sign1</td><td>no</td></tr>
 *   <tr><td>header</td><td>header COSE_Sign1</td><td>yes</td></tr>
 *   <tr><td>cert</td><td>device certificate, DER</td><td>yes</td></tr>
 *   <tr><td>state</td><td>JSON online/offline with session</td><td>yes</td></tr>
 *   <tr><td>balance (subnet)</td><td>subnet balance COSE_Sign1, exchange only</td><td>yes</td></tr>
 *   <tr><td>alert (subnet)</td><td>equivocation evidence</td><td>no</td></tr>
 *   <tr><td>crl (subnet)</td><td>registrar CRL, DER</td><td>yes</td></tr>
 * </table>
 */
public record Topics(String prefix, String subnet, String device) {

    public static final String DEFAULT_PREFIX = "ei/v1";

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(device, "device");
    }

    public String reading() {
        return deviceTopic("reading");
    }

    public String header() {
        return deviceTopic("header");
    }

    public String cert() {
        return deviceTopic("cert");
    }

    public String state() {
        return deviceTopic("state");
    }

    public String balance() {
        return subnetTopic("balance");
    }

    public String alert() {
        return subnetTopic("alert");
    }

    public String crl() {
        return subnetTopic("crl");
    }

    /** Whether DESIGN.md says the broker keeps the last message of this topic. */
    public boolean isRetained(String topic) {
        return topic.equals(header()) || topic.equals(cert()) || topic.equals(state())
                || topic.equals(balance()) || topic.equals(crl());
    }

    private String deviceTopic(String leaf) {
        return prefix + "/" + subnet + "/" + device + "/" + leaf;
    }

    private String subnetTopic(String leaf) {
        return prefix + "/" + subnet + "/" + leaf;
    }
}
