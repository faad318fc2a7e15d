package io.eiedge.runtime.cli;

import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.InvalidConfigException;
import io.eiedge.runtime.node.EdgeNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code eiedge status [--config FILE]}: a running node's health from the status file it
 * rewrites every 2 s in its data folder (works offline, needs no network or privileges
 * beyond reading that folder).
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a running node's health, meters, chain and outbox.")
public final class StatusCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = EiedgeConfig.DEFAULT_PATH,
            description = "configuration file (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder instead of the one in the configuration")
    Path data;

    @Option(names = "--json", description = "print the raw status JSON")
    boolean json;

    @Override
    public Integer call() {
        Path dir = data;
        if (dir == null) {
            try {
                dir = ConfigLoader.load(config).ledger().dataDir();
            } catch (InvalidConfigException | IOException e) {
                System.err.println(config + ": " + e.getMessage() + " (use --data DIR to point at the data folder)");
                return 1;
            }
        }
        Path file = EdgeNode.statusFile(dir);
        try {
            String status = Files.readString(file);
            long ageMs = System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
            if (json) {
                System.out.println(status);
            } else {
                System.out.println(StatusText.render(status));
                System.out.println(ageMs > 10_000 ? "status is " + ageMs / 1000 + " s old: the node is not running"
                        : "updated " + ageMs / 1000 + " s ago");
            }
            return ageMs > 10_000 ? 3 : 0;
        } catch (NoSuchFileException e) {
            System.err.println("no status in " + dir + ": the node has never run there");
            return 3;
        } catch (IOException e) {
            System.err.println(file + ": " + e.getMessage());
            return 1;
        }
    }
}
