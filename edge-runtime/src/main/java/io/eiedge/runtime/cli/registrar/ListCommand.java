package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.registrar.IssuedCertificate;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.ExitCodes;
import io.eiedge.runtime.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code eiedge registrar list [--json]}: every certificate issued, with its state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the certificates issued: device, subnet, role, serial, validity, state.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;

    @Option(names = "--json", description = "a JSON array, for scripts")
    boolean json;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            try (Registrar r = registrar.open()) {
                Instant now = Instant.now();
                List<Object> rows = new ArrayList<>();
                if (!json) {
                    out.printf("%-20s %-12s %-9s %-32s %-20s %s%n", "DEVICE", "SUBNET", "ROLE", "SERIAL", "VALID TO", "STATE");
                }
                for (IssuedCertificate c : r.list()) {
                    String state = c.isRevoked() ? "revoked " + c.revokedAt().orElseThrow() + " (" + c.reason().orElseThrow() + ")"
                            : c.isLive(now) ? "live" : "expired";
                    if (json) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", c.name().deviceId());
                        m.put("subnet", c.name().subnet());
                        m.put("role", c.name().role().label());
                        m.put("serial", c.serialHex());
                        m.put("kid", c.kidHex());
                        m.put("notBefore", c.notBefore());
                        m.put("notAfter", c.notAfter());
                        m.put("issuedAt", c.issuedAt());
                        m.put("issuedBy", c.issuedBy());
                        m.put("state", c.isRevoked() ? "revoked" : c.isLive(now) ? "live" : "expired");
                        m.put("revokedAt", c.revokedAt());
                        m.put("reason", c.reason().map(Object::toString));
                        rows.add(m);
                    } else {
                        out.printf("%-20s %-12s %-9s %-32s %-20s %s%n", c.name().deviceId(), c.name().subnet(), c.name().role(),
                                c.serialHex(), c.notAfter(), state);
                    }
                }
                if (json) {
                    out.println(Json.write(rows));
                }
                return ExitCodes.OK;
            }
        });
    }
}
