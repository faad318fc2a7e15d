package io.eiedge.runtime.cli;

import io.eiedge.runtime.cli.registrar.CrlCommand;
import io.eiedge.runtime.cli.registrar.InitCommand;
import io.eiedge.runtime.cli.registrar.ListCommand;
import io.eiedge.runtime.cli.registrar.LogCommand;
import io.eiedge.runtime.cli.registrar.RevokeCommand;
import io.eiedge.runtime.cli.registrar.RootCommand;
import io.eiedge.runtime.cli.registrar.SignCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code eiedge registrar init|sign|list|revoke|crl [--dir DIR]}: the registrar's side, run on the
 * registrar's own machine. Exit codes: see provisioning/README.md.
 */
@Command(name = "registrar", mixinStandardHelpOptions = true,
        description = {"The registrar (the market's certificate authority): root, device certificates, revocation.",
                "Exit status: 0 ok, 1 refused, 2 usage, 3 revoked, 5 passphrase, 6 not found,",
                "7 already exists (live id, existing root), 8 key file permissions, 9 I/O error."},
        subcommands = {InitCommand.class, SignCommand.class, ListCommand.class, RevokeCommand.class, CrlCommand.class,
                RootCommand.class, LogCommand.class})
public final class RegistrarCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
