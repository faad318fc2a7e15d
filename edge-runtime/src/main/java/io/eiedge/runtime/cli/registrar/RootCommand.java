package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.key.SecureFiles;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code eiedge registrar root [--out FILE]}: the root certificate, for technicians and aggregators. */
@Command(name = "root", mixinStandardHelpOptions = true, description = "Print (or write) the registrar root certificate, PEM.")
public final class RootCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;

    @Option(names = "--out", paramLabel = "FILE", description = "write it here (default: stdout)")
    Path outFile;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            try (Registrar r = registrar.open()) {
                String pem = Certificates.pem(r.root());
                if (outFile == null) {
                    out.print(pem);
                } else {
                    SecureFiles.writePublic(outFile, pem.getBytes(StandardCharsets.US_ASCII));
                }
                return ExitCodes.OK;
            }
        });
    }
}
