package io.eiedge.runtime.cli;

import io.eiedge.runtime.config.ConfigError;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.InvalidConfigException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loads {@code eiedge.yaml} for a command that needs it, reporting every problem to the user. */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * The configuration, or empty after printing each error as {@code FILE:LINE:COL: key: message}
     * and one line saying what did not happen because of them (e.g. "not started").
     */
    public static Optional<EiedgeConfig> loadOrReport(Path config, PrintWriter err, String consequence) {
        try {
            return Optional.of(ConfigLoader.load(config));
        } catch (InvalidConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println(config + ": " + consequence + ", " + e.errors().size() + " configuration error(s)");
        } catch (IOException e) {
            err.println(config + ": cannot read: " + e.getMessage());
        }
        err.flush();
        return Optional.empty();
    }
}
