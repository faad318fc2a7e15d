package io.eiedge.runtime.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects every problem of one file so that all of them are reported at once. */
final class Problems {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void at(Node node, String keyPath, String message) {
        at(node == null ? Optional.empty() : node.getStartMark(), keyPath, message);
    }

    void at(Optional<Mark> mark, String keyPath, String message) {
        // snakeyaml marks are 0-based; editors and compilers count from 1
        int line = mark.map(m -> m.getLine() + 1).orElse(1);
        int column = mark.map(m -> m.getColumn() + 1).orElse(1);
        errors.add(new ConfigError(file, line, column, keyPath, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<ConfigError> sorted() {
        List<ConfigError> copy = new ArrayList<>(errors);
        copy.sort(null);
        return copy;
    }
}
