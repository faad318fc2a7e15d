package io.eiedge.runtime.config;

import java.util.Objects;

/**
 * One problem found in a configuration file, with the place a technician needs to fix it.
 *
 * @param file    the file as named on the command line
 * @param line    1-based line
 * @param column  1-based column
 * @param keyPath dotted key path, e.g. {@code meters[1].registers[0].obis}; {@code yaml} for syntax errors
 * @param message what was found and what was expected
 */
public record ConfigError(String file, int line, int column, String keyPath, String message)
        implements Comparable<ConfigError> {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
    }

    /** The form {@code FILE:LINE:COL: key.path: message}, one per line in {@code eiedge config check}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + keyPath + ": " + message;
    }

    @Override
    public int compareTo(ConfigError o) {
        int c = Integer.compare(line, o.line);
        if (c != 0) return c;
        c = Integer.compare(column, o.column);
        return c != 0 ? c : keyPath.compareTo(o.keyPath);
    }
}
