package io.eiedge.runtime.cli;

import io.eiedge.runtime.cli.identity.CsrCommand;
import io.eiedge.runtime.cli.identity.InstallCommand;
import io.eiedge.runtime.cli.identity.KeygenCommand;
import io.eiedge.runtime.cli.identity.ShowCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code eiedge identity keygen|csr|install|show [--dir DIR]}: the technician's side of device
 * identity, run on the device, offline. Exit codes: see provisioning/README.md.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = {"The device's identity: key, certificate request, certificate, revocation state.",
                "Exit status: 0 ok, 1 refused, 2 usage, 3 revoked, 4 expired/not yet valid, 5 passphrase,",
                "6 not found, 7 already exists, 8 key file permissions, 9 I/O error."},
        subcommands = {KeygenCommand.class, CsrCommand.class, InstallCommand.class, ShowCommand.class})
public final class IdentityCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
