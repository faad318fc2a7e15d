package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.key.SecureFiles;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.trust.RevocationLists;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.CommonOptions;
import io.eiedge.runtime.cli.identity.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code eiedge registrar crl [--out FILE]}: sign a fresh CRL. */
@Command(name = "crl", mixinStandardHelpOptions = true,
        description = "Sign a fresh CRL (every revoked certificate, a new CRL number, next update) and write it as PEM.")
public final class CrlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;
    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "FILE", description = "write the CRL here (default: stdout); crl.pem in the folder is updated too")
    Path outFile;
    @Option(names = "--der", description = "write DER instead of PEM (what MQTT and CoAP carry)")
    boolean der;
    @Option(names = "--next-update-days", paramLabel = "N", defaultValue = "30",
            description = "next update, in days (default: ${DEFAULT-VALUE})")
    int nextUpdateDays;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            try (Registrar r = registrar.open()) {
                X509CRL crl = r.issueCrl(common.passphrases(), Duration.ofDays(nextUpdateDays), registrar.operator());
                byte[] bytes = der ? Certificates.der(crl) : Certificates.pem(crl).getBytes(StandardCharsets.US_ASCII);
                if (outFile != null) {
                    SecureFiles.writePublic(outFile, bytes);
                } else if (der) {
                    spec.commandLine().getOut().flush();
                    System.out.write(bytes, 0, bytes.length); // DER to a pipe: bytes, not text
                    System.out.flush();
                } else {
                    out.print(new String(bytes, StandardCharsets.US_ASCII));
                }
                err.println("CRL number " + RevocationLists.number(crl).orElseThrow() + ", "
                        + (crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size())
                        + " revoked, next update " + crl.getNextUpdate().toInstant());
                return ExitCodes.OK;
            }
        });
    }
}
