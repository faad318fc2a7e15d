package io.eiedge.runtime.cli;

import io.eiedge.runtime.config.ConfigError;
import io.eiedge.runtime.config.ConfigExplainer;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.InvalidConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eiedge config check [--config FILE]}: validate the node configuration and explain it. */
@Command(name = "config", description = "Work with the node configuration file.",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate the configuration and explain what the node will do.",
                    "Errors are printed one per line as FILE:LINE:COL: key.path: message; exit status 1 if any."})
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = EiedgeConfig.DEFAULT_PATH,
                description = "configuration file (default: ${DEFAULT-VALUE})")
        Path config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                EiedgeConfig c = ConfigLoader.load(config);
                out.print(ConfigExplainer.explain(c));
                out.println(config + ": OK");
                out.flush();
                return 0;
            } catch (InvalidConfigException e) {
                // the errors are the command's answer, so they go to stdout; the summary to stderr
                for (ConfigError error : e.errors()) out.println(error);
                out.flush();
                err.println(config + ": " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
                err.flush();
                return 1;
            } catch (NoSuchFileException e) {
                err.println(config + ": no such file");
                err.flush();
                return 1;
            } catch (IOException e) {
                err.println(config + ": cannot read: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }
}
