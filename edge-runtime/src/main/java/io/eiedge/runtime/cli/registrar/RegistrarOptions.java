package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.registrar.Registrar;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

/** {@code --dir DIR} (default {@code ~/.eiedge-registrar}) and {@code --operator NAME}. */
public final class RegistrarOptions {

    @Option(names = "--dir", paramLabel = "DIR", description = "registrar folder (default: ~/.eiedge-registrar)")
    Path dir;

    @Option(names = "--operator", paramLabel = "NAME",
            description = "who takes this decision, recorded in the registrar's log (default: the login name)")
    String operator;

    public Path dir() {
        return dir != null ? dir : Registrar.defaultDir();
    }

    public String operator() {
        return operator != null && !operator.isBlank() ? operator : System.getProperty("user.name", "unknown");
    }

    public Registrar open() throws ProvisioningException {
        return Registrar.open(dir(), Clock.systemUTC());
    }
}
