package io.eiedge.runtime.cli;

import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.registrar.Registrar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * A device identity made the way a technician makes one — keygen and CSR on the device, signed by
 * the registrar, installed — so that {@code eiedge run} can load it from its folder.
 */
final class IssuedIdentity {
    private IssuedIdentity() {
    }

    /** Returns the identity folder ({@code identity.dir} of the config) of device {@code id}. */
    static Path issue(Registrar registrar, char[] rootPassphrase, Path dir, String id, String subnet, String role) throws Exception {
        Path idDir = dir.resolve("identity-" + id);
        IdentityStore store = new IdentityStore(idDir, Clock.systemUTC());
        store.keygen(null, false, false);
        var request = store.csr(DeviceName.of(id, subnet, role), PassphraseSource.none());
        var issued = registrar.sign(request.pem(), id + ".csr", false, Registrar.DEFAULT_DEVICE_VALIDITY,
                PassphraseSource.of(rootPassphrase), "test");
        Path certPem = dir.resolve(id + ".pem");
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(issued.der()) + "\n-----END CERTIFICATE-----\n");
        store.install(certPem, registrar.dir().resolve(Registrar.ROOT_CERT), Optional.of(DeviceName.of(id, subnet, role)),
                PassphraseSource.none());
        return idDir;
    }
}
