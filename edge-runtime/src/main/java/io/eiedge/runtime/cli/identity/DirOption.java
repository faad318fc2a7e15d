package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.identity.IdentityStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

/** {@code --dir DIR}: the identity folder. */
public final class DirOption {

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "/etc/eiedge/identity",
            description = "identity folder (default: ${DEFAULT-VALUE})")
    Path dir = IdentityStore.DEFAULT_DIR;

    public IdentityStore store() {
        return new IdentityStore(dir, Clock.systemUTC());
    }
}
