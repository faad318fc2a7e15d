package io.eiedge.runtime.cli.identity;

import io.eiedge.runtime.json.Json;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code eiedge identity show [--json]}: the device's identity and whether its CRL revokes it. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show the device identity: id, subnet, role, fingerprint, validity, issuer, days to expiry,",
                "and whether the CRL on the device revokes it. Exit status: 0 valid, 3 revoked,",
                "4 expired or not yet valid, 6 no key or no certificate, 1 anything else wrong."})
public final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DirOption dir;
    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "one JSON object, for scripts")
    boolean json;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            IdentityStatus s = dir.store().status(common.passphrasesWithoutPrompt());
            if (json) {
                out.println(Json.write(asMap(s)));
            } else {
                print(s, out);
            }
            return switch (s.state()) {
                case VALID -> ExitCodes.OK;
                case REVOKED -> ExitCodes.REVOKED;
                case EXPIRED, NOT_YET_VALID -> ExitCodes.OUT_OF_VALIDITY;
                case NO_KEY, NO_CERTIFICATE -> ExitCodes.NOT_FOUND;
                case UNTRUSTED, KEY_MISMATCH -> ExitCodes.REFUSED;
            };
        });
    }

    private static void print(IdentityStatus s, PrintWriter out) {
        s.name().ifPresent(n -> {
            out.println("Device:      " + n.deviceId());
            out.println("Subnet:      " + n.subnet());
            out.println("Role:        " + n.role());
        });
        s.fingerprint().ifPresent(f -> out.println("Fingerprint: " + f));
        s.serial().ifPresent(x -> out.println("Serial:      " + x.toString(16)));
        s.issuer().ifPresent(i -> out.println("Issuer:      " + i));
        s.notBefore().ifPresent(t -> out.println("Valid from:  " + t));
        s.notAfter().ifPresent(t -> out.println("Valid to:    " + t + s.daysToExpiry().map(d -> " (" + d + " days left)").orElse("")));
        out.println("Key:         " + (s.keyPresent() ? (s.keyEncrypted() ? "encrypted" : "not encrypted")
                + s.keyMatches().map(m -> m ? ", matches the certificate" : ", DOES NOT match the certificate")
                .orElse(s.serial().isPresent() ? ", not checked (encrypted; set EIEDGE_PASSPHRASE)" : "") : "missing")
                + (s.pendingKey() ? "; a renewal key is pending" : ""));
        s.crl().ifPresentOrElse(c -> out.println("CRL:         number " + c.number().map(Object::toString).orElse("-")
                        + ", issued " + c.thisUpdate() + c.nextUpdate().map(n -> ", next update " + n).orElse("")
                        + (c.overdue() ? " (OVERDUE)" : "")
                        + (c.revokesThisDevice() ? "; REVOKES this device: " + c.revocation().orElse("") : "; does not revoke this device")),
                () -> out.println("CRL:         none on this device"));
        out.println("State:       " + s.state() + " — " + s.detail());
    }

    private static Map<String, Object> asMap(IdentityStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("detail", s.detail());
        m.put("id", s.name().map(DeviceName::deviceId));
        m.put("subnet", s.name().map(DeviceName::subnet));
        m.put("role", s.name().map(n -> n.role().label()));
        m.put("urn", s.name().map(DeviceName::urn));
        m.put("fingerprint", s.fingerprint());
        m.put("kid", s.kidHex());
        m.put("serial", s.serial().map(x -> x.toString(16)));
        m.put("issuer", s.issuer());
        m.put("notBefore", s.notBefore());
        m.put("notAfter", s.notAfter());
        m.put("daysToExpiry", s.daysToExpiry());
        m.put("keyPresent", s.keyPresent());
        m.put("keyEncrypted", s.keyEncrypted());
        m.put("keyMatches", s.keyMatches());
        m.put("pendingKey", s.pendingKey());
        m.put("revoked", s.crl().map(IdentityStatus.Crl::revokesThisDevice).orElse(false));
        m.put("crl", s.crl().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("number", c.number().map(Object::toString));
            cm.put("thisUpdate", c.thisUpdate());
            cm.put("nextUpdate", c.nextUpdate());
            cm.put("overdue", c.overdue());
            cm.put("revokesThisDevice", c.revokesThisDevice());
            cm.put("revocation", c.revocation());
            return cm;
        }));
        return m;
    }
}
