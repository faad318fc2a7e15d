package io.eiedge.runtime.cli.registrar;

import io.eiedge.provisioning.cert.Fingerprints;
import io.eiedge.provisioning.registrar.Registrar;
import io.eiedge.runtime.cli.identity.CliSupport;
import io.eiedge.runtime.cli.identity.CommonOptions;
import io.eiedge.runtime.cli.identity.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code eiedge registrar init}: the root key (passphrase-encrypted) and self-signed root certificate. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create the registrar: an Ed25519 root key (encrypted with a passphrase) and its self-signed root certificate.")
public final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    RegistrarOptions registrar;
    @Mixin
    CommonOptions common;

    @Option(names = "--name", paramLabel = "CN", defaultValue = "eiedge registrar",
            description = "the root's common name (default: ${DEFAULT-VALUE})")
    String name;
    @Option(names = "--days", paramLabel = "N", defaultValue = "3650", description = "root validity in days (default: ${DEFAULT-VALUE})")
    int days;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            char[] pass = common.passphrases().require("registrar root key", true);
            try {
                X509Certificate root = Registrar.init(registrar.dir(), name, pass, Duration.ofDays(days), Clock.systemUTC(),
                        registrar.operator());
                out.println("Registrar root: " + root.getSubjectX500Principal().getName() + ", valid to " + root.getNotAfter().toInstant());
                out.println("Fingerprint:    " + Fingerprints.human(Fingerprints.kid(root)));
                out.println("Root certificate (give it to technicians): " + registrar.dir().resolve(Registrar.ROOT_CERT));
                return ExitCodes.OK;
            } finally {
                Arrays.fill(pass, '\0');
            }
        });
    }
}
