package io.eiedge.aggregator.cli;

import io.eiedge.runtime.cli.CommandModule;
import java.util.List;

/** Adds {@code ingest} and {@code report} to the {@code eiedge} command where the aggregator's jar is on the class path. */
public final class AggregatorCommands implements CommandModule {
    @Override
    public List<Object> commands() {
        return List.of(new IngestCommand(), new ReportCommand());
    }
}
