package io.eiedge.runtime.cli;

import java.util.ServiceLoader;
import java.util.Set;
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

    /** Commands of the aggregator module, which a device's installation does not carry. */
    private static final Set<String> AGGREGATOR_COMMANDS = Set.of("ingest", "report");

    /** The CLI with every {@link CommandModule} on the class path added. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EiedgeCli());
        for (CommandModule module : ServiceLoader.load(CommandModule.class)) {
            module.commands().forEach(cli::addSubcommand);
        }
        return cli;
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        if (args.length > 0 && AGGREGATOR_COMMANDS.contains(args[0]) && !cli.getSubcommands().containsKey(args[0])) {
            System.err.println("eiedge: '" + args[0] + "' is an aggregator command; this installation has only the device"
                    + " runtime (from a checkout, ./eiedge builds and adds the aggregator module)");
            System.exit(2);
        }
        System.exit(cli.execute(args));
    }
}
