package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.identity.IdentityStore;
import io.eiedge.provisioning.key.PassphraseSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code eiedge identity keygen}: an Ed25519 key made on this device; prints its fingerprint. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generate the device's Ed25519 key (PKCS#8 PEM, mode 0600) and print its fingerprint.",
                "The key is encrypted when a passphrase is given (--passphrase-file, EIEDGE_PASSPHRASE, or --encrypt",
                "to be asked); the daemon then needs the same passphrase at every start."})
public final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    DirOption dir;
    @Mixin
    CommonOptions common;

    @Option(names = "--force", description = "replace an existing key (its certificate stops working)")
    boolean force;
    @Option(names = "--next", description = "make a new key for a renewal; the current key and certificate keep "
            + "working until the renewed certificate is installed")
    boolean next;
    @Option(names = "--encrypt", description = "ask for a passphrase when none is given otherwise")
    boolean encrypt;
    @Option(names = "--no-passphrase", description = "never encrypt (ignore EIEDGE_PASSPHRASE)")
    boolean noPassphrase;

    @Override
    public Integer call() {
        return CliSupport.run(spec, (out, err) -> {
            char[] pass = null;
            if (!noPassphrase) {
                PassphraseSource src = common.passphrasesWithoutPrompt();
                if (encrypt) {
                    src = src.orElse(PassphraseSource.console());
                }
                pass = encrypt || common.hasPassphraseFile() ? src.require("device key", true)
                        : src.passphrase("device key", true).orElse(null);
            }
            try {
                IdentityStore.NewKey k = dir.store().keygen(pass, force, next);
                out.println("Key:         " + k.file() + " (mode 0600, " + (k.encrypted() ? "encrypted" : "not encrypted") + ")");
                out.println("Fingerprint: " + k.fingerprint());
                if (next) {
                    out.println("Next: eiedge identity csr --id … --subnet … --role …  (signed with this new key)");
                }
                return ExitCodes.OK;
            } finally {
                if (pass != null) {
                    Arrays.fill(pass, '\0');
                }
            }
        });
    }
}
