package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.key.SecureFiles;
import io.eiedge.provisioning.pem.Pem;
import io.eiedge.provisioning.registrar.IssuedCertificate;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.CommonOptions;
import io.eiedge.runtime.cli.identity.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code eiedge registrar sign CSRFILE [--out FILE]}. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Check a device's request and issue its certificate (PEM), recording the decision.",
                "Refused: a bad signature or fields, an id live in another subnet or role, and a second live",
                "certificate for an id unless --renew."})
public final class SignCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "CSRFILE", description = "the device's request (PEM)")
    Path csr;
    @Option(names = "--out", paramLabel = "FILE", description = "write the certificate here (default: stdout)")
    Path outFile;
    @Option(names = "--renew", description = "issue although the device has a live certificate (renewal)")
    boolean renew;
    @Option(names = "--days", paramLabel = "N", defaultValue = "730", description = "validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            String text = Pem.readText(csr);
            try (Registrar r = registrar.open()) {
                IssuedCertificate c = r.sign(text, csr.toString(), renew, Duration.ofDays(days), common.passphrases(),
                        registrar.operator());
                String pem = Pem.encode(Pem.CERTIFICATE, c.der());
                if (outFile == null) {
                    out.print(pem);
                } else {
                    SecureFiles.writePublic(outFile, pem.getBytes(StandardCharsets.US_ASCII));
                }
                err.println("Issued certificate " + c.serialHex() + " for " + c.name().urn() + ", valid to " + c.notAfter()
                        + (outFile == null ? "" : ", written to " + outFile)
                        + "; the device also needs " + r.dir().resolve(Registrar.ROOT_CERT));
                return ExitCodes.OK;
            }
        });
    }
}
