package io.eiedge.provisioning;

/** What kind of refusal a {@link ProvisioningException} is. */
public enum Problem {
    /** Malformed or inconsistent input: a corrupted PEM, a bad CSR, a certificate for another key. */
    INVALID_INPUT,
    /** The passphrase did not decrypt the key. */
    WRONG_PASSPHRASE,
    /** A passphrase is needed and none could be obtained (no variable, no file, no console). */
    NO_PASSPHRASE,
    /** A file, key, certificate or registrar entry that was needed is not there. */
    NOT_FOUND,
    /** Something already exists that would be overwritten or duplicated. */
    ALREADY_EXISTS,
    /** The certificate has been revoked by the registrar. */
    REVOKED,
    /** The certificate is outside its validity period (expired or not yet valid). */
    OUT_OF_VALIDITY,
    /** A secret file is readable or writable by others than its owner. */
    INSECURE_PERMISSIONS,
    /** Reading or writing a file failed. */
    IO
}
