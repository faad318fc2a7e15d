package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.DeviceName;
import picocli.CommandLine.Option;

/** {@code --id ID --subnet S --role R}. */
public final class NameOptions {

    @Option(names = "--id", paramLabel = "ID", required = true, description = "device id, e.g. router-07")
    String id;
    @Option(names = "--subnet", paramLabel = "S", required = true, description = "subnet, e.g. sub-3")
    String subnet;
    @Option(names = "--role", paramLabel = "R", required = true, description = "router|exchange|interface")
    String role;

    public DeviceName name() throws ProvisioningException {
        return DeviceName.of(id, subnet, role);
    }
}
