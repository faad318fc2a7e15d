package io.eiedge.provisioning.key;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Where a passphrase comes from: the {@code EIEDGE_PASSPHRASE} variable, a file (which may be
 * {@code /dev/fd/N} for a descriptor handed over by a script), or a prompt on the console that
 * does not echo. A source may have nothing to give ({@link Optional#empty()}); callers decide
 * whether that is fine (an unencrypted key) or a refusal. Passphrases are never logged.
 */
@FunctionalInterface
public interface PassphraseSource {

    /** The environment variable scripts set for non-interactive use. */
    String ENVIRONMENT_VARIABLE = "EIEDGE_PASSPHRASE";

    /**
     * @param purpose what the passphrase is for, shown in a prompt ("device key", "registrar root key")
     * @param confirm ask twice (when a new secret is being set)
     */
    Optional<char[]> passphrase(String purpose, boolean confirm) throws ProvisioningException;

    /** A source with nothing to give. */
    static PassphraseSource none() {
        return (purpose, confirm) -> Optional.empty();
    }

    /** A fixed passphrase (for tests and embedding). */
    static PassphraseSource of(char[] passphrase) {
        char[] copy = passphrase.clone();
        return (purpose, confirm) -> Optional.of(copy.clone());
    }

    /** The first line of a file, without its line ending. An empty first line counts as none. */
    static PassphraseSource fromFile(Path file) {
        return (purpose, confirm) -> {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new ProvisioningException(Problem.NOT_FOUND, "passphrase file " + file + ": no such file");
            } catch (IOException e) {
                throw new ProvisioningException(Problem.IO, "passphrase file " + file + ": cannot read: " + e.getMessage(), e);
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            Arrays.fill(bytes, (byte) 0);
            int nl = text.indexOf('\n');
            String line = nl >= 0 ? text.substring(0, nl) : text;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return line.isEmpty() ? Optional.empty() : Optional.of(line.toCharArray());
        };
    }

    /** {@code EIEDGE_PASSPHRASE} from the given environment, if set and not empty. */
    static PassphraseSource fromEnvironment(Map<String, String> environment) {
        String value = environment.get(ENVIRONMENT_VARIABLE);
        return (purpose, confirm) -> value == null || value.isEmpty()
                ? Optional.empty() : Optional.of(value.toCharArray());
    }

    /** A prompt on the console without echo; nothing when there is no console (a script, a pipe). */
    static PassphraseSource console() {
        return (purpose, confirm) -> {
            Console c = System.console();
            if (c == null) {
                return Optional.empty();
            }
            char[] first = c.readPassword("Passphrase for the %s: ", purpose);
            if (first == null || first.length == 0) {
                return Optional.empty();
            }
            if (confirm) {
                char[] again = c.readPassword("Same passphrase again: ");
                boolean same = Arrays.equals(first, again);
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
                if (!same) {
                    Arrays.fill(first, '\0');
                    throw new ProvisioningException(Problem.WRONG_PASSPHRASE, "the two passphrases differ; nothing was written");
                }
            }
            return Optional.of(first);
        };
    }

    /** This source, or when it has nothing, the next one. */
    default PassphraseSource orElse(PassphraseSource next) {
        return (purpose, confirm) -> {
            Optional<char[]> mine = passphrase(purpose, confirm);
            return mine.isPresent() ? mine : next.passphrase(purpose, confirm);
        };
    }

    /** The passphrase, or a refusal saying how to give one. */
    default char[] require(String purpose, boolean confirm) throws ProvisioningException {
        return passphrase(purpose, confirm).orElseThrow(() -> new ProvisioningException(Problem.NO_PASSPHRASE,
                "the " + purpose + " needs a passphrase: set " + ENVIRONMENT_VARIABLE
                        + ", pass --passphrase-file FILE, or run in a terminal to be asked"));
    }
}
