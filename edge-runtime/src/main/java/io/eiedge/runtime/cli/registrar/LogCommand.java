package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.registrar.Decision;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code eiedge registrar log}: the decisions recorded, oldest first. */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Show the registrar's decisions: who, what, when.")
public final class LogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            try (Registrar r = registrar.open()) {
                for (Decision d : r.decisions()) {
                    out.println(d.seq() + " " + d.at() + " " + d.operator() + " " + d.action()
                            + (d.deviceId().isEmpty() ? "" : " " + d.deviceId())
                            + (d.serialHex().isEmpty() ? "" : " serial " + d.serialHex()) + ": " + d.detail());
                }
                return ExitCodes.OK;
            }
        });
    }
}
