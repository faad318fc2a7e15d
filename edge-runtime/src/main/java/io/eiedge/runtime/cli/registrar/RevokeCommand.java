package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.key.SecureFiles;
import io.eiedge.provisioning.registrar.IssuedCertificate;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.provisioning.registrar.RevocationReason;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.CommonOptions;
import io.eiedge.runtime.cli.identity.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code eiedge registrar revoke --id ID --reason R}: revoke and sign a fresh CRL. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a device (all its certificates, or one with --serial) and sign a fresh CRL",
                "(written to the registrar folder's crl.pem, and to --out). Revocation is final."})
public final class RevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;
    @Mixin
    CommonOptions common;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "the device id")
    String id;
    @Option(names = "--reason", paramLabel = "R", required = true,
            description = "keyCompromise|cessationOfOperation|affiliationChanged|superseded|privilegeWithdrawn|unspecified")
    String reason;
    @Option(names = "--serial", paramLabel = "HEX", description = "revoke only this certificate of the device")
    String serial;
    @Option(names = "--out", paramLabel = "FILE", description = "also write the new CRL here (PEM)")
    Path outFile;
    @Option(names = "--next-update-days", paramLabel = "N", defaultValue = "30",
            description = "the CRL's next update, in days (default: ${DEFAULT-VALUE})")
    int nextUpdateDays;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            RevocationReason why = RevocationReason.parse(reason);
            Optional<BigInteger> s = Optional.empty();
            if (serial != null) {
                try {
                    s = Optional.of(new BigInteger(serial, 16));
                } catch (NumberFormatException e) {
                    throw new ProvisioningException(Problem.INVALID_INPUT, "--serial '" + serial + "' is not hexadecimal");
                }
            }
            try (Registrar r = registrar.open()) {
                Registrar.Revocation rev = r.revoke(id, s, why, common.passphrases(), Duration.ofDays(nextUpdateDays),
                        registrar.operator());
                for (IssuedCertificate c : rev.revoked()) {
                    out.println("Revoked certificate " + c.serialHex() + " of " + c.name().urn() + " (" + why + ")");
                }
                out.println("CRL written to " + r.dir().resolve(Registrar.CRL) + "; publish it (MQTT ei/v1/<subnet>/crl, devices: eiedge identity install --crl)");
                if (outFile != null) {
                    SecureFiles.writePublic(outFile, Certificates.pem(rev.crl()).getBytes(StandardCharsets.US_ASCII));
                }
                return ExitCodes.OK;
            }
        });
    }
}
