package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.key.PassphraseSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --passphrase-file}, shared by every command that reads or writes a key. */
public final class CommonOptions {

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "read the passphrase from the first line of FILE (e.g. /dev/fd/3); "
                    + "otherwise EIEDGE_PASSPHRASE, otherwise a prompt when a terminal is attached")
    Path passphraseFile;

    /** The file if given, else the environment variable, else a console prompt. */
    public PassphraseSource passphrases() {
        if (passphraseFile != null) {
            return PassphraseSource.fromFile(passphraseFile);
        }
        return PassphraseSource.fromEnvironment(System.getenv()).orElse(PassphraseSource.console());
    }

    /** Same without the prompt: for commands that only use a passphrase when one is already at hand. */
    public PassphraseSource passphrasesWithoutPrompt() {
        if (passphraseFile != null) {
            return PassphraseSource.fromFile(passphraseFile);
        }
        return PassphraseSource.fromEnvironment(System.getenv());
    }

    public boolean hasPassphraseFile() {
        return passphraseFile != null;
    }
}
