package io.eiedge.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code eiedge} command: gathers every sub-command of the runtime, the technician's
 * and the registrar's tools. Output for people goes to stdout, diagnostics to stderr.
 */
@Command(name = "eiedge", mixinStandardHelpOptions = true, version = "eiedge 0.1.0",
        description = "Energy Internet edge runtime: signed meter readings on a light local chain.",
        subcommands = {
                // one line per command group; add yours here
                CommandLine.HelpCommand.class,
                MetersCommand.class,
                RunCommand.class,
                DemoCommand.class,
                StatusCommand.class,
                LedgerCommand.class,
                IdentityCommand.class,
                WatchCommand.class,
                RegistrarCommand.class,
                ConfigCommand.class,
        })
public final class EiedgeCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EiedgeCli()).execute(args));
    }
}
