package io.eiedge.provisioning.identity;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.cert.CertificateProfile;
import io.eiedge.provisioning.cert.Certificates;
import io.eiedge.provisioning.cert.DeviceRequests;
import io.eiedge.provisioning.cert.Fingerprints;
import io.eiedge.provisioning.key.Ed25519Keys;
import io.eiedge.provisioning.key.KeyFiles;
import io.eiedge.provisioning.key.PassphraseSource;
import io.eiedge.provisioning.key.SecureFiles;
import io.eiedge.provisioning.pem.Pem;
import io.eiedge.provisioning.trust.PeerCertificateValidator;
import io.eiedge.provisioning.trust.PeerVerdict;
import io.eiedge.provisioning.trust.RevocationLists;
import org.tinylog.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The device's identity folder ({@code /etc/eiedge/identity} by default) and what a technician
 * does with it: make a key, make a request, install the registrar's answer, show the result.
 *
 * <p>Layout: {@code device-key.pem} (PKCS#8, 0600, optionally encrypted), {@code device-key.next.pem}
 * (a new key waiting for its certificate during a renewal), {@code device-request.pem} (the last
 * request made, so {@code install} knows which id/subnet/role to expect), {@code device-cert.pem},
 * {@code registrar-root.pem}, {@code registrar-crl.pem} (PEM or DER).
 *
 * <p>Files are replaced atomically one by one; an install checks everything first, then writes the
 * root, the certificate, and last promotes a pending key. Were power cut between the last two,
 * {@link #load} finds the certificate matching the pending key and finishes the promotion.
 */
public final class IdentityStore {

    public static final Path DEFAULT_DIR = Path.of("/etc/eiedge/identity");
    public static final String KEY = "device-key.pem";
    public static final String PENDING_KEY = "device-key.next.pem";
    public static final String REQUEST = "device-request.pem";
    public static final String CERT = "device-cert.pem";
    public static final String ROOT = "registrar-root.pem";
    public static final String CRL = "registrar-crl.pem";
    private static final String KEY_PURPOSE = "device key";

    private final Path dir;
    private final Clock clock;

    public IdentityStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Loads and cross-checks the identity in a folder (the runtime's entry point). */
    public static DeviceIdentity load(Path dir, PassphraseSource passphrases) throws ProvisioningException {
        return new IdentityStore(dir, Clock.systemUTC()).load(passphrases);
    }

    public Path dir() {
        return dir;
    }

    public Path keyFile() {
        return dir.resolve(KEY);
    }

    public Path pendingKeyFile() {
        return dir.resolve(PENDING_KEY);
    }

    public Path requestFile() {
        return dir.resolve(REQUEST);
    }

    public Path certFile() {
        return dir.resolve(CERT);
    }

    public Path rootFile() {
        return dir.resolve(ROOT);
    }

    public Path crlFile() {
        return dir.resolve(CRL);
    }

    /** A key written by {@link #keygen}: where, and its short fingerprint (never the key). */
    public record NewKey(Path file, String fingerprint, String kidHex, boolean encrypted) {
    }

    /**
     * Generates the device key on this device.
     *
     * @param passphrase encrypts the key when not null (the daemon then needs it at every start)
     * @param force      replace an existing key (its certificate stops matching)
     * @param next       write a pending key for a renewal instead; the current key keeps working
     *                   until the renewed certificate is installed
     */
    public NewKey keygen(char[] passphrase, boolean force, boolean next) throws ProvisioningException {
        Path target = next ? pendingKeyFile() : keyFile();
        if (Files.exists(target) && !force) {
            throw new ProvisioningException(Problem.ALREADY_EXISTS, target + " already exists; refusing to overwrite the "
                    + (next ? "pending" : "device") + " key (pass --force to replace it"
                    + (next ? ")" : "; its certificate would stop working — for a renewal use --next)"));
        }
        KeyPair kp = Ed25519Keys.generate();
        KeyFiles.write(target, kp.getPrivate(), passphrase);
        byte[] kid = Fingerprints.kid(kp.getPublic().getEncoded());
        Logger.info("new {} key in {}, fingerprint {}", next ? "pending" : "device", target, Fingerprints.human(kid));
        return new NewKey(target, Fingerprints.human(kid), Fingerprints.hex(kid), passphrase != null);
    }

    /** A request made by {@link #csr}. */
    public record Request(String pem, DeviceName name, String fingerprint, boolean pendingKey) {
    }

    /**
     * Makes a PKCS#10 request for the name, signed with the pending key when a renewal with a new
     * key is under way, else with the device key. A copy stays in the folder for {@link #install}.
     */
    public Request csr(DeviceName name, PassphraseSource passphrases) throws ProvisioningException {
        boolean pending = Files.exists(pendingKeyFile());
        Path keyFile = pending ? pendingKeyFile() : keyFile();
        if (!Files.exists(keyFile)) {
            throw new ProvisioningException(Problem.NOT_FOUND, "no device key in " + dir + ": run 'eiedge identity keygen' first");
        }
        PrivateKey key = KeyFiles.read(keyFile, passphrases, KEY_PURPOSE);
        String pem = DeviceRequests.create(name, key);
        SecureFiles.writePublic(requestFile(), pem.getBytes(StandardCharsets.US_ASCII));
        String fp = Fingerprints.human(Fingerprints.kid(Ed25519Keys.publicKeyInfo(key)));
        return new Request(pem, name, fp, pending);
    }

    /** What {@link #install} did. */
    public record Installed(DeviceName name, X509Certificate certificate, boolean rootChanged, boolean promotedPendingKey) {
    }

    /**
     * Checks and installs a device certificate and the registrar root: the certificate must belong
     * to this device's key (or its pending key), chain to the root, name the expected device (the
     * explicit one, else the last request's, else the installed certificate's), be within validity,
     * and not be revoked by the CRL the device holds. Nothing is written unless all of that holds.
     */
    public Installed install(Path certPath, Path rootPath, Optional<DeviceName> expected, PassphraseSource passphrases)
            throws ProvisioningException {
        X509Certificate cert = Certificates.read(certPath);
        X509Certificate root = Certificates.read(rootPath);
        PeerCertificateValidator validator = PeerCertificateValidator.forRoot(root, clock);

        byte[] certSpki = cert.getPublicKey().getEncoded();
        boolean matchesCurrent = Files.exists(keyFile())
                && Arrays.equals(Ed25519Keys.publicKeyInfo(KeyFiles.read(keyFile(), passphrases, KEY_PURPOSE)), certSpki);
        boolean matchesPending = !matchesCurrent && Files.exists(pendingKeyFile())
                && Arrays.equals(Ed25519Keys.publicKeyInfo(KeyFiles.read(pendingKeyFile(), passphrases, KEY_PURPOSE)), certSpki);
        if (!Files.exists(keyFile()) && !Files.exists(pendingKeyFile())) {
            throw new ProvisioningException(Problem.NOT_FOUND, "no device key in " + dir + ": run 'eiedge identity keygen' first");
        }
        if (!matchesCurrent && !matchesPending) {
            throw new ProvisioningException(Problem.INVALID_INPUT, certPath + " is for another key (its key's fingerprint is "
                    + Fingerprints.human(Fingerprints.kid(cert)) + "; this device's key is " + keyFingerprints(passphrases)
                    + "); nothing was installed");
        }

        PeerVerdict verdict = validatorWithDeviceCrl(validator, root).check(cert);
        if (!verdict.isTrusted()) {
            Problem p = switch (verdict.refusal().orElseThrow()) {
                case EXPIRED, NOT_YET_VALID, ROOT_OUT_OF_VALIDITY -> Problem.OUT_OF_VALIDITY;
                case REVOKED -> Problem.REVOKED;
                default -> Problem.INVALID_INPUT;
            };
            throw new ProvisioningException(p, certPath + ": " + verdict.detail() + "; nothing was installed");
        }
        DeviceName name = verdict.peer().orElseThrow();
        Optional<DeviceName> want = expected.isPresent() ? expected : expectedFromFolder();
        if (want.isPresent() && !want.get().equals(name)) {
            throw new ProvisioningException(Problem.INVALID_INPUT, certPath + " is for " + name
                    + " but this device expects " + want.get() + "; nothing was installed");
        }

        boolean rootChanged = !Files.exists(rootFile()) || !Arrays.equals(Certificates.der(Certificates.read(rootFile())),
                Certificates.der(root));
        if (rootChanged) {
            dropCrlNotFrom(root);
            SecureFiles.writePublic(rootFile(), Certificates.pem(root).getBytes(StandardCharsets.US_ASCII));
        }
        SecureFiles.writePublic(certFile(), Certificates.pem(cert).getBytes(StandardCharsets.US_ASCII));
        if (matchesPending) {
            SecureFiles.moveAtomically(pendingKeyFile(), keyFile());
        }
        try {
            Files.deleteIfExists(requestFile());
        } catch (IOException e) {
            Logger.warn("installed, but could not remove {}: {}", requestFile(), e.getMessage());
        }
        Logger.info("installed certificate {} for {}", cert.getSerialNumber().toString(16), name);
        return new Installed(name, cert, rootChanged, matchesPending);
    }

    /** Installs a newer CRL from the registrar after checking the installed root signed it. */
    public X509CRL installCrl(Path crlPath) throws ProvisioningException {
        X509CRL crl = Certificates.readCrl(crlPath);
        if (!Files.exists(rootFile())) {
            throw new ProvisioningException(Problem.NOT_FOUND, "no registrar root in " + dir + " to check the CRL against;"
                    + " install the certificate and root first");
        }
        PeerCertificateValidator v = PeerCertificateValidator.forRoot(Certificates.read(rootFile()), clock);
        if (Files.exists(crlFile())) {
            v = v.withCrl(Certificates.readCrl(crlFile()));
        }
        v.withCrl(crl); // checks the signature and that it is not older than the one held
        SecureFiles.writePublic(crlFile(), Certificates.pem(crl).getBytes(StandardCharsets.US_ASCII));
        return crl;
    }

    /**
     * Loads the identity and checks that its parts belong together: the certificate belongs to the
     * key, follows the device profile and was signed by the root, and the CRL (if any) was signed
     * by the root. Validity and revocation are not refused here: {@link DeviceIdentity#validator}
     * and {@link #status} tell; the runtime decides what to do about its own expired certificate.
     */
    public DeviceIdentity load(PassphraseSource passphrases) throws ProvisioningException {
        if (Files.exists(keyFile())) {
            SecureFiles.requirePrivate(keyFile()); // the most urgent news comes first
        }
        requireFile(certFile(), "no device certificate in " + dir + ": run 'eiedge identity install' first");
        requireFile(rootFile(), "no registrar root in " + dir + ": run 'eiedge identity install' first");
        X509Certificate cert = Certificates.read(certFile());
        finishInterruptedInstall(cert, passphrases);
        requireFile(keyFile(), "no device key in " + dir + ": run 'eiedge identity keygen' first");
        PrivateKey key = KeyFiles.read(keyFile(), passphrases, KEY_PURPOSE);
        if (!Arrays.equals(Ed25519Keys.publicKeyInfo(key), cert.getPublicKey().getEncoded())) {
            throw new ProvisioningException(Problem.INVALID_INPUT, certFile() + " is for another key than " + keyFile()
                    + " (certificate key " + Fingerprints.human(Fingerprints.kid(cert)) + ", device key "
                    + Fingerprints.human(Fingerprints.kid(Ed25519Keys.publicKeyInfo(key))) + ")");
        }
        X509Certificate root = Certificates.read(rootFile());
        PeerCertificateValidator.forRoot(root, clock);
        try {
            cert.verify(root.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, certFile() + " was not signed by the registrar root in "
                    + rootFile());
        }
        DeviceName name = CertificateProfile.inspectDevice(cert, certFile().toString());
        Optional<X509CRL> crl = Optional.empty();
        if (Files.exists(crlFile())) {
            X509CRL c = Certificates.readCrl(crlFile());
            PeerCertificateValidator.verifyCrl(c, root);
            crl = Optional.of(c);
        }
        return new DeviceIdentity(name, key, Ed25519Keys.seed(key), cert, root, crl);
    }

    /** Reports the identity's state without needing the passphrase (see {@link IdentityStatus}). */
    public IdentityStatus status(PassphraseSource passphrases) throws ProvisioningException {
        boolean keyPresent = Files.exists(keyFile());
        boolean pending = Files.exists(pendingKeyFile());
        boolean encrypted = keyPresent && KeyFiles.isEncrypted(keyFile());
        Optional<byte[]> keySpki = Optional.empty();
        if (keyPresent && (!encrypted || passphrases.passphrase(KEY_PURPOSE, false).isPresent())) {
            keySpki = Optional.of(Ed25519Keys.publicKeyInfo(KeyFiles.read(keyFile(), passphrases, KEY_PURPOSE)));
        } else if (keyPresent) {
            SecureFiles.requirePrivate(keyFile());
        }
        if (!Files.exists(certFile())) {
            IdentityStatus.State s = keyPresent ? IdentityStatus.State.NO_CERTIFICATE : IdentityStatus.State.NO_KEY;
            String detail = keyPresent ? "a key but no certificate yet: run 'eiedge identity csr', have the registrar sign it, then 'eiedge identity install'"
                    : "no device key: run 'eiedge identity keygen'";
            Optional<String> fp = keySpki.map(k -> Fingerprints.human(Fingerprints.kid(k)));
            return new IdentityStatus(s, detail, Optional.empty(), keyPresent, encrypted, pending, Optional.empty(), fp,
                    keySpki.map(k -> Fingerprints.hex(Fingerprints.kid(k))), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        X509Certificate cert = Certificates.read(certFile());
        requireFile(rootFile(), "a certificate but no registrar root in " + dir + ": run 'eiedge identity install' again");
        X509Certificate root = Certificates.read(rootFile());
        Optional<Boolean> matches = keySpki.map(k -> Arrays.equals(k, cert.getPublicKey().getEncoded()));
        PeerCertificateValidator validator = validatorWithDeviceCrl(PeerCertificateValidator.forRoot(root, clock), root);
        PeerVerdict verdict = validator.check(cert);
        Optional<DeviceName> name = verdict.peer();
        if (name.isEmpty()) {
            try {
                name = Optional.of(CertificateProfile.deviceName(cert, certFile().toString()));
            } catch (ProvisioningException e) {
                // the verdict already says what is wrong with it
            }
        }
        IdentityStatus.State state;
        String detail;
        if (matches.isPresent() && !matches.get()) {
            state = IdentityStatus.State.KEY_MISMATCH;
            detail = "the certificate is for another key than " + keyFile() + (pending ? " (a renewal key is pending: install its certificate)" : "");
        } else if (verdict.isTrusted()) {
            state = IdentityStatus.State.VALID;
            detail = "valid" + (validator.crlOverdue() ? "; the CRL is past its next update, get a newer one from the registrar" : "");
        } else {
            state = switch (verdict.refusal().orElseThrow()) {
                case EXPIRED -> IdentityStatus.State.EXPIRED;
                case NOT_YET_VALID -> IdentityStatus.State.NOT_YET_VALID;
                case REVOKED -> IdentityStatus.State.REVOKED;
                default -> IdentityStatus.State.UNTRUSTED;
            };
            detail = verdict.detail();
        }
        Instant now = clock.instant();
        long days = Math.floorDiv(Duration.between(now, cert.getNotAfter().toInstant()).toSeconds(), 86_400L);
        Optional<IdentityStatus.Crl> crl = validator.crl().map(c -> {
            X509CRLEntry e = c.getRevokedCertificate(cert.getSerialNumber());
            Optional<String> rev = Optional.ofNullable(e).map(x -> "revoked at " + x.getRevocationDate().toInstant()
                    + (x.getRevocationReason() == null ? "" : " (" + RevocationLists.reasonName(x.getRevocationReason()) + ")"));
            return new IdentityStatus.Crl(RevocationLists.number(c), c.getThisUpdate().toInstant(),
                    Optional.ofNullable(c.getNextUpdate()).map(java.util.Date::toInstant), validator.crlOverdue(), e != null, rev);
        });
        byte[] kid = Fingerprints.kid(cert);
        return new IdentityStatus(state, detail, name, keyPresent, encrypted, pending, matches,
                Optional.of(Fingerprints.human(kid)), Optional.of(Fingerprints.hex(kid)), Optional.of(cert.getSerialNumber()),
                Optional.of(cert.getNotBefore().toInstant()), Optional.of(cert.getNotAfter().toInstant()),
                Optional.of(cert.getIssuerX500Principal().getName()), Optional.of(days), crl);
    }

    private PeerCertificateValidator validatorWithDeviceCrl(PeerCertificateValidator v, X509Certificate root) throws ProvisioningException {
        if (!Files.exists(crlFile())) {
            return v;
        }
        X509CRL crl = Certificates.readCrl(crlFile());
        if (!crl.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            return v; // a CRL of the previous registrar root: it says nothing about this one
        }
        return v.withCrl(crl);
    }

    private void dropCrlNotFrom(X509Certificate root) throws ProvisioningException {
        if (!Files.exists(crlFile())) {
            return;
        }
        try {
            PeerCertificateValidator.verifyCrl(Certificates.readCrl(crlFile()), root);
        } catch (ProvisioningException e) {
            try {
                Files.delete(crlFile());
                Logger.info("removed {}: it belongs to the previous registrar root", crlFile());
            } catch (IOException io) {
                throw new ProvisioningException(Problem.IO, crlFile() + ": cannot remove the old registrar's CRL: " + io.getMessage(), io);
            }
        }
    }

    private Optional<DeviceName> expectedFromFolder() throws ProvisioningException {
        if (Files.exists(requestFile())) {
            return Optional.of(DeviceRequests.check(Pem.readText(requestFile()), requestFile().toString()).name());
        }
        if (Files.exists(certFile())) {
            return Optional.of(CertificateProfile.deviceName(Certificates.read(certFile()), certFile().toString()));
        }
        return Optional.empty();
    }

    private String keyFingerprints(PassphraseSource passphrases) throws ProvisioningException {
        List<String> fps = new ArrayList<>();
        if (Files.exists(keyFile())) {
            fps.add(Fingerprints.human(Fingerprints.kid(Ed25519Keys.publicKeyInfo(KeyFiles.read(keyFile(), passphrases, KEY_PURPOSE)))));
        }
        if (Files.exists(pendingKeyFile())) {
            fps.add("pending " + Fingerprints.human(Fingerprints.kid(Ed25519Keys.publicKeyInfo(
                    KeyFiles.read(pendingKeyFile(), passphrases, KEY_PURPOSE)))));
        }
        return String.join(", ", fps);
    }

    /** Completes a renewal install cut short between writing the certificate and promoting the key. */
    private void finishInterruptedInstall(X509Certificate cert, PassphraseSource passphrases) throws ProvisioningException {
        if (!Files.exists(pendingKeyFile())) {
            return;
        }
        PrivateKey pendingKey = KeyFiles.read(pendingKeyFile(), passphrases, KEY_PURPOSE);
        if (Arrays.equals(Ed25519Keys.publicKeyInfo(pendingKey), cert.getPublicKey().getEncoded())) {
            Logger.warn("{} matches the pending key: finishing an interrupted install", certFile());
            SecureFiles.moveAtomically(pendingKeyFile(), keyFile());
        }
    }

    private static void requireFile(Path file, String message) throws ProvisioningException {
        if (!Files.exists(file)) {
            throw new ProvisioningException(Problem.NOT_FOUND, message);
        }
    }
}
