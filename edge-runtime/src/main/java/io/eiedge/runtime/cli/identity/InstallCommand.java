package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.trust.RevocationLists;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code eiedge identity install --cert FILE --root FILE [--crl FILE]}. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Check and install the device certificate and the registrar root (and/or a CRL).",
                "The certificate must belong to this device's key, chain to the root, name the device the last",
                "request asked for, be within its validity and not be revoked. Nothing is written otherwise."})
public final class InstallCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DirOption dir;
    @Mixin
    CommonOptions common;

    @Option(names = "--cert", paramLabel = "FILE", description = "device certificate from the registrar (PEM or DER)")
    Path cert;
    @Option(names = "--root", paramLabel = "FILE", description = "registrar root certificate (PEM or DER)")
    Path root;
    @Option(names = "--crl", paramLabel = "FILE", description = "registrar CRL to install (PEM or DER)")
    Path crl;
    @Option(names = "--id", paramLabel = "ID", description = "expect this device id (default: the last request's)")
    String id;
    @Option(names = "--subnet", paramLabel = "S", description = "expect this subnet")
    String subnet;
    @Option(names = "--role", paramLabel = "R", description = "expect this role")
    String role;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            if (cert == null && root == null && crl == null) {
                throw new ProvisioningException(Problem.INVALID_INPUT, "give --cert FILE --root FILE, and/or --crl FILE");
            }
            if ((cert == null) != (root == null)) {
                throw new ProvisioningException(Problem.INVALID_INPUT, "--cert and --root go together");
            }
            IdentityStore store = dir.store();
            if (cert != null) {
                Optional<DeviceName> expected = Optional.empty();
                if (id != null || subnet != null || role != null) {
                    if (id == null || subnet == null || role == null) {
                        throw new ProvisioningException(Problem.INVALID_INPUT, "--id, --subnet and --role go together");
                    }
                    expected = Optional.of(DeviceName.of(id, subnet, role));
                }
                IdentityStore.Installed i = store.install(cert, root, expected, common.passphrases());
                out.println("Installed certificate " + i.certificate().getSerialNumber().toString(16) + " for " + i.name().urn()
                        + ", valid to " + i.certificate().getNotAfter().toInstant()
                        + (i.promotedPendingKey() ? "; the renewal key is now the device key" : "")
                        + (i.rootChanged() ? "; registrar root installed" : ""));
            }
            if (crl != null) {
                X509CRL c = store.installCrl(crl);
                out.println("Installed CRL number " + RevocationLists.number(c).map(n -> n.toString()).orElse("-")
                        + " with " + (c.getRevokedCertificates() == null ? 0 : c.getRevokedCertificates().size())
                        + " revoked certificate(s), next update " + c.getNextUpdate().toInstant());
            }
            return ExitCodes.OK;
        });
    }
}
