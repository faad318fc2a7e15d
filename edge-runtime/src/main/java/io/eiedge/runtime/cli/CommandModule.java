package io.eiedge.runtime.cli;

import java.util.List;

/**
 * Sub-commands another module adds to {@code eiedge}, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.eiedge.runtime.cli.CommandModule}). The aggregator's {@code ingest}
 * and {@code report} come this way: the runtime never depends on the aggregator (whose PostgreSQL
 * driver stays out of the device's package), yet one {@code eiedge} command reaches both where
 * the aggregator's jar is on the class path.
 */
public interface CommandModule {

    /** picocli {@code @Command} objects to add as top-level sub-commands. */
    List<Object> commands();
}
