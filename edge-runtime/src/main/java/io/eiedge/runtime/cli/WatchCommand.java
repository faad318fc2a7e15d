package io.eiedge.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code eiedge watch --broker URL --root FILE [--check] [--json]}: the aggregator's view (being written). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Subscribe to a broker, verify every reading and header, report.")
public final class WatchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("eiedge watch: not implemented yet");
        return 70;
    }
}
