package io.eiedge.runtime.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the device identity lives (key, certificate, registrar root, CRL), and where the key's
 * passphrase comes from when it is encrypted. The passphrase itself never appears in the config.
 */
public record IdentityConfig(Path dir, Optional<Path> passphraseFile) {

    public static final Path DEFAULT_DIR = Path.of("/etc/eiedge/identity");

    public IdentityConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(passphraseFile, "passphraseFile");
    }
}
