package io.eiedge.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link ConfigLoader#load} when the file has problems; carries every one of them. */
public final class InvalidConfigException extends Exception {
    private final transient List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.size() + " configuration error(s):\n"
                + errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    /** All problems, sorted by line and column. */
    public List<ConfigError> errors() {
        return errors;
    }
}
