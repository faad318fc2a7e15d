package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.Problem;

/**
 * Exit statuses of {@code eiedge identity …} and {@code eiedge registrar …}, for scripts. They are
 * part of the documented interface (provisioning/README.md); do not renumber.
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** Refused: invalid input (corrupted file, bad request, wrong device, not from this registrar…). */
    public static final int REFUSED = 1;
    /** Command line usage error (picocli's own). */
    public static final int USAGE = 2;
    /** The certificate is revoked. */
    public static final int REVOKED = 3;
    /** The certificate is expired or not yet valid. */
    public static final int OUT_OF_VALIDITY = 4;
    /** Wrong passphrase, or none could be obtained. */
    public static final int PASSPHRASE = 5;
    /** Nothing there: no key, no certificate, no registrar, unknown device. */
    public static final int NOT_FOUND = 6;
    /** Already exists: a key that would be overwritten, a device that already has a live certificate. */
    public static final int EXISTS = 7;
    /** A private key file is readable or writable by others. */
    public static final int PERMISSIONS = 8;
    /** A file could not be read or written. */
    public static final int IO = 9;
    /** A bug: please report with the message. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    public static int of(Problem p) {
        return switch (p) {
            case INVALID_INPUT -> REFUSED;
            case WRONG_PASSPHRASE, NO_PASSPHRASE -> PASSPHRASE;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> EXISTS;
            case REVOKED -> REVOKED;
            case OUT_OF_VALIDITY -> OUT_OF_VALIDITY;
            case INSECURE_PERMISSIONS -> PERMISSIONS;
            case IO -> IO;
        };
    }
}
