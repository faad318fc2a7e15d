package io.eiedge.provisioning.key;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.pem.Pem;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Private keys on disk: PKCS#8 PEM, either plain ({@code PRIVATE KEY}) or passphrase-encrypted
 * ({@code ENCRYPTED PRIVATE KEY}, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC: the scheme
 * {@code openssl pkey} reads and writes by default). Files are 0600 and refused when looser.
 */
public final class KeyFiles {

    /** PBKDF2 rounds: a Pi 4 spends well under a second; a guessing attacker pays that per guess. */
    static final int PBKDF2_ITERATIONS = 200_000;

    /**
     * BouncyCastle's provider, handed to the PBE builders only: it is never registered with the
     * JVM, so JSSE and every other user of the JCA keep the JDK's providers.
     */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private KeyFiles() {
    }

    /** The PEM text of a key, encrypted when a passphrase is given. */
    public static String encode(PrivateKey key, char[] passphrase) {
        if (passphrase == null) {
            return Pem.encode(Pem.PRIVATE_KEY, key.getEncoded());
        }
        try {
            PKCS8EncryptedPrivateKeyInfo enc = new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(key.getEncoded()))
                    .build(new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                            .setProvider(BC)
                            .setPRF(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                    org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256,
                                    org.bouncycastle.asn1.DERNull.INSTANCE))
                            .setIterationCount(PBKDF2_ITERATIONS)
                            .build(passphrase));
            return Pem.encode(Pem.ENCRYPTED_PRIVATE_KEY, enc.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt the key: " + e.getMessage(), e);
        }
    }

    /** Writes a key file (0600, atomically). */
    public static void write(Path file, PrivateKey key, char[] passphrase) throws ProvisioningException {
        SecureFiles.writeSecret(file, encode(key, passphrase).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a key file is passphrase-encrypted (without asking for the passphrase). */
    public static boolean isEncrypted(Path file) throws ProvisioningException {
        return Pem.ENCRYPTED_PRIVATE_KEY.equals(
                Pem.readOne(file, Set.of(Pem.PRIVATE_KEY, Pem.ENCRYPTED_PRIVATE_KEY)).getType());
    }

    /**
     * Reads a key file: checks its permissions first, then decrypts it with a passphrase from the
     * source when it is encrypted.
     *
     * @param purpose what the key is, for prompts and messages ("device key")
     */
    public static PrivateKey read(Path file, PassphraseSource passphrases, String purpose) throws ProvisioningException {
        SecureFiles.requirePrivate(file);
        PemObject pem = Pem.readOne(file, Set.of(Pem.PRIVATE_KEY, Pem.ENCRYPTED_PRIVATE_KEY));
        if (Pem.PRIVATE_KEY.equals(pem.getType())) {
            return Ed25519Keys.privateKey(pem.getContent(), file.toString());
        }
        PKCS8EncryptedPrivateKeyInfo enc;
        try {
            enc = new PKCS8EncryptedPrivateKeyInfo(pem.getContent());
        } catch (IOException | RuntimeException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, file + ": corrupted encrypted key (" + e.getMessage() + ")", e);
        }
        Optional<char[]> pass = passphrases.passphrase(purpose, false);
        if (pass.isEmpty()) {
            throw new ProvisioningException(Problem.NO_PASSPHRASE, file + ": the " + purpose
                    + " is encrypted and no passphrase was given (set " + PassphraseSource.ENVIRONMENT_VARIABLE
                    + ", pass --passphrase-file FILE, or run in a terminal to be asked)");
        }
        char[] p = pass.get();
        byte[] der;
        try {
            der = enc.decryptPrivateKeyInfo(new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BC).build(p))
                    .getEncoded("DER");
        } catch (PKCSException | IOException | RuntimeException e) {
            if (wrongPassphrase(e)) {
                throw new ProvisioningException(Problem.WRONG_PASSPHRASE,
                        file + ": wrong passphrase for the " + purpose + " (the key could not be decrypted)", e);
            }
            throw new ProvisioningException(Problem.INVALID_INPUT, file + ": cannot decrypt the " + purpose
                    + " (unsupported encryption: " + e.getMessage() + ")", e);
        } finally {
            Arrays.fill(p, '\0');
        }
        return Ed25519Keys.privateKey(der, file.toString());
    }

    /**
     * A wrong passphrase shows as a padding failure, or (about 1 in 256) as decrypted garbage that
     * does not parse as a key; anything else is an unsupported or broken file.
     */
    private static boolean wrongPassphrase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.crypto.BadPaddingException
                    || t instanceof org.bouncycastle.crypto.InvalidCipherTextException
                    || t instanceof org.bouncycastle.asn1.ASN1ParsingException
                    || (t instanceof IllegalArgumentException && t.getCause() == null)
                    || (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("pad"))) {
                return true;
            }
        }
        return false;
    }
}
