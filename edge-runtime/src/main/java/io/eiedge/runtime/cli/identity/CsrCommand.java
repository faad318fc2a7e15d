package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.SecureFiles;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code eiedge identity csr --id ID --subnet S --role R [--out FILE]}. */
@Command(name = "csr", mixinStandardHelpOptions = true,
        description = {"Make a PKCS#10 certificate request for this device (PEM), to take to the registrar.",
                "Signed with the pending renewal key when there is one (keygen --next), else with the device key."})
public final class CsrCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DirOption dir;
    @Mixin
    CommonOptions common;
    @ArgGroup(exclusive = false, multiplicity = "1")
    NameOptions name;

    @Option(names = "--out", paramLabel = "FILE", description = "write the request here (default: stdout)")
    Path outFile;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            IdentityStore.Request r = dir.store().csr(name.name(), common.passphrases());
            if (outFile == null) {
                out.print(r.pem());
            } else {
                SecureFiles.writePublic(outFile, r.pem().getBytes(StandardCharsets.US_ASCII));
            }
            err.println("Request for " + r.name().urn() + ", key fingerprint " + r.fingerprint()
                    + (r.pendingKey() ? " (renewal key)" : "")
                    + (outFile == null ? "" : ", written to " + outFile));
            return ExitCodes.OK;
        });
    }
}
