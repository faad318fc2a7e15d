package io.eiedge.runtime.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Logging: always to stderr (the journal under systemd), plus a rolling file when {@code file} is set.
 *
 * @param level       minimum level
 * @param file        rolling log file, e.g. {@code /var/log/eiedge/eiedge.log}
 * @param rollingSize size at which the file rolls over
 * @param keep        how many rolled files to keep
 */
public record LoggingConfig(Level level, Optional<Path> file, long rollingSize, int keep) {

    public static final long DEFAULT_ROLLING_SIZE = 10L * 1024 * 1024;
    public static final int DEFAULT_KEEP = 3;

    public LoggingConfig {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(file, "file");
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(Level.INFO, Optional.empty(), DEFAULT_ROLLING_SIZE, DEFAULT_KEEP);
    }

    /** tinylog's levels, spelled in lower case in the file. */
    public enum Level implements ConfigName {
        TRACE, DEBUG, INFO, WARN, ERROR;

        @Override
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
