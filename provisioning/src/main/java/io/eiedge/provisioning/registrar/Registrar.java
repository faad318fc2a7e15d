package io.eiedge.provisioning.registrar;

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
import io.eiedge.provisioning.trust.RevocationLists;
import org.tinylog.Logger;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The registrar: the market's certificate authority on its own (ideally offline) machine. It holds
 * the root key (passphrase-encrypted), issues device certificates from checked requests, revokes
 * them and signs CRLs, and records every decision. It never sees energy data.
 *
 * <p>Folder layout: {@code root-key.pem} (encrypted PKCS#8, 0600), {@code root-cert.pem},
 * {@code registrar.db} (MapDB), {@code crl.pem} (the newest CRL).
 *
 * <p>Every operation checks everything, including the passphrase, before it changes anything.
 */
public final class Registrar implements AutoCloseable {

    public static final String ROOT_KEY = "root-key.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final String STORE = "registrar.db";
    public static final String CRL = "crl.pem";
    /** Certificates start this much before "now": device clocks without a battery run behind. */
    public static final Duration BACKDATE = Duration.ofHours(1);
    public static final Duration DEFAULT_ROOT_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_DEVICE_VALIDITY = Duration.ofDays(730);
    public static final Duration DEFAULT_CRL_NEXT_UPDATE = Duration.ofDays(30);
    private static final String ROOT_PURPOSE = "registrar root key";

    private final Path dir;
    private final X509Certificate root;
    private final RegistrarStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    private Registrar(Path dir, X509Certificate root, RegistrarStore store, Clock clock) {
        this.dir = dir;
        this.root = root;
        this.store = store;
        this.clock = clock;
    }

    /** {@code ~/.eiedge-registrar}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".eiedge-registrar");
    }

    /** What a revocation did: the certificates it revoked and the CRL that now lists them. */
    public record Revocation(List<IssuedCertificate> revoked, X509CRL crl) {
    }

    /**
     * Creates the root key and the self-signed root certificate. Refuses when the folder already
     * holds a registrar: a second root would orphan every certificate issued so far.
     */
    public static X509Certificate init(Path dir, String name, char[] passphrase, Duration validity, Clock clock,
                                       String operator) throws ProvisioningException {
        Path keyFile = dir.resolve(ROOT_KEY);
        if (Files.exists(keyFile) || Files.exists(dir.resolve(ROOT_CERT))) {
            throw new ProvisioningException(Problem.ALREADY_EXISTS, dir + " already holds a registrar root ("
                    + ROOT_KEY + "); refusing to replace it (every certificate it issued would stop verifying)");
        }
        if (passphrase == null || passphrase.length < 8) {
            throw new ProvisioningException(Problem.NO_PASSPHRASE,
                    "the registrar root key needs a passphrase of at least 8 characters");
        }
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the key file itself is still encrypted
            }
        } catch (IOException e) {
            throw new ProvisioningException(Problem.IO, dir + ": cannot create: " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        KeyPair kp = Ed25519Keys.generate();
        X509Certificate root = CertificateProfile.root(name, kp.getPrivate(), kp.getPublic().getEncoded(),
                new BigInteger(1, new byte[] {1}), now.minus(BACKDATE), now.plus(validity));
        KeyFiles.write(keyFile, kp.getPrivate(), passphrase);
        SecureFiles.writePublic(dir.resolve(ROOT_CERT), Certificates.pem(root).getBytes(StandardCharsets.US_ASCII));
        try (RegistrarStore s = RegistrarStore.open(dir.resolve(STORE))) {
            s.record(List.of(), Decision.Action.INITIALISED, operator, "", "1",
                    "root " + root.getSubjectX500Principal() + ", valid to " + root.getNotAfter().toInstant()
                            + ", kid " + Fingerprints.hex(Fingerprints.kid(root)), now);
        }
        Logger.info("registrar initialised in {}: root {}", dir, root.getSubjectX500Principal());
        return root;
    }

    /** Opens an initialised registrar folder. */
    public static Registrar open(Path dir, Clock clock) throws ProvisioningException {
        if (!Files.exists(dir.resolve(ROOT_CERT))) {
            throw new ProvisioningException(Problem.NOT_FOUND, dir + " holds no registrar (no " + ROOT_CERT
                    + "); run 'eiedge registrar init' first or pass --dir");
        }
        X509Certificate root = Certificates.read(dir.resolve(ROOT_CERT));
        return new Registrar(dir, root, RegistrarStore.open(dir.resolve(STORE)), clock);
    }

    public X509Certificate root() {
        return root;
    }

    public Path dir() {
        return dir;
    }

    public List<IssuedCertificate> list() {
        return store.certificates();
    }

    public List<Decision> decisions() {
        return store.decisions();
    }

    /**
     * Checks a request and issues the device certificate. Refused: a bad signature or fields, a
     * key revoked for compromise, an id live in another subnet or role, and an id with a live
     * certificate unless {@code renew}.
     */
    public IssuedCertificate sign(String csrPem, String where, boolean renew, Duration validity,
                                  PassphraseSource passphrases, String operator) throws ProvisioningException {
        DeviceRequests.CheckedRequest req = DeviceRequests.check(csrPem, where);
        Instant now = clock.instant();
        String kid = Fingerprints.hex(Fingerprints.kid(req.subjectPublicKeyInfo()));
        List<IssuedCertificate> sameId = new ArrayList<>();
        for (IssuedCertificate c : store.certificates()) {
            if (c.kidHex().equals(kid) && c.reason().filter(r -> r == RevocationReason.KEY_COMPROMISE).isPresent()) {
                throw new ProvisioningException(Problem.REVOKED, where + ": this key was revoked for keyCompromise (certificate "
                        + c.serialHex() + " of " + c.name().deviceId() + "); the device must make a new key");
            }
            if (c.name().deviceId().equals(req.name().deviceId()) && c.isLive(now)) {
                sameId.add(c);
            }
        }
        for (IssuedCertificate c : sameId) {
            if (!c.name().subnet().equals(req.name().subnet())) {
                throw new ProvisioningException(Problem.INVALID_INPUT, where + ": device id " + c.name().deviceId()
                        + " belongs to subnet " + c.name().subnet() + " (certificate " + c.serialHex() + ", valid to "
                        + c.notAfter() + "); refusing a request for it in subnet " + req.name().subnet()
                        + " (revoke the old certificate first if the device really moved)");
            }
            if (c.name().role() != req.name().role()) {
                throw new ProvisioningException(Problem.INVALID_INPUT, where + ": device " + c.name().deviceId()
                        + " is registered as " + c.name().role() + " (certificate " + c.serialHex()
                        + "); refusing a request for role " + req.name().role() + " (revoke the old certificate first)");
            }
        }
        if (!sameId.isEmpty() && !renew) {
            IssuedCertificate c = sameId.get(sameId.size() - 1);
            throw new ProvisioningException(Problem.ALREADY_EXISTS, where + ": device " + c.name().deviceId()
                    + " already has a live certificate (serial " + c.serialHex() + ", valid to " + c.notAfter()
                    + "); pass --renew to issue a renewal");
        }
        PrivateKey rootKey = rootKey(passphrases);
        BigInteger serial = newSerial();
        X509Certificate cert = CertificateProfile.device(req.name(), req.subjectPublicKeyInfo(), root, rootKey, serial,
                now.minus(BACKDATE), now.plus(validity));
        IssuedCertificate issued = new IssuedCertificate(serial, req.name(), kid, cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant(), now, operator, Certificates.der(cert), Optional.empty(), Optional.empty());
        Decision.Action action = sameId.isEmpty() ? Decision.Action.ISSUED : Decision.Action.RENEWED;
        store.record(List.of(issued), action, operator, req.name().deviceId(), issued.serialHex(),
                req.name().urn() + ", valid to " + issued.notAfter() + ", kid " + kid, now);
        Logger.info("registrar {}: {} certificate {} for {}", operator, action, issued.serialHex(), req.name());
        return issued;
    }

    /**
     * Revokes a device: every certificate of it not yet revoked, or only the one with the given
     * serial; then signs a fresh CRL (also written to {@code crl.pem}).
     */
    public Revocation revoke(String deviceId, Optional<BigInteger> serial, RevocationReason reason,
                             PassphraseSource passphrases, Duration nextUpdate, String operator) throws ProvisioningException {
        List<IssuedCertificate> mine = store.certificates().stream().filter(c -> c.name().deviceId().equals(deviceId)).toList();
        if (mine.isEmpty()) {
            throw new ProvisioningException(Problem.NOT_FOUND, "the registrar never issued a certificate for device '" + deviceId + "'");
        }
        List<IssuedCertificate> targets = mine.stream()
                .filter(c -> serial.map(s -> s.equals(c.serial())).orElse(true)).toList();
        if (targets.isEmpty()) {
            throw new ProvisioningException(Problem.NOT_FOUND, "device " + deviceId + " has no certificate with serial "
                    + serial.orElseThrow().toString(16));
        }
        List<IssuedCertificate> open = targets.stream().filter(c -> !c.isRevoked()).toList();
        if (open.isEmpty()) {
            IssuedCertificate c = targets.get(targets.size() - 1);
            throw new ProvisioningException(Problem.REVOKED, "device " + deviceId + " is already revoked (certificate "
                    + c.serialHex() + " at " + c.revokedAt().orElseThrow() + ", " + c.reason().orElseThrow() + ")");
        }
        PrivateKey rootKey = rootKey(passphrases);
        Instant now = clock.instant();
        List<IssuedCertificate> revoked = open.stream().map(c -> c.revoked(now, reason)).toList();
        store.record(revoked, Decision.Action.REVOKED, operator, deviceId,
                String.join(",", revoked.stream().map(IssuedCertificate::serialHex).toList()), reason.rfcName(), now);
        Logger.info("registrar {}: revoked {} ({}), {} certificate(s)", operator, deviceId, reason, revoked.size());
        return new Revocation(revoked, signCrl(rootKey, nextUpdate, operator));
    }

    /** Signs a fresh CRL listing every revoked certificate, writes it to {@code crl.pem}, returns it. */
    public X509CRL issueCrl(PassphraseSource passphrases, Duration nextUpdate, String operator) throws ProvisioningException {
        return signCrl(rootKey(passphrases), nextUpdate, operator);
    }

    /** The newest CRL written, if any. */
    public Optional<X509CRL> latestCrl() throws ProvisioningException {
        Path f = dir.resolve(CRL);
        return Files.exists(f) ? Optional.of(Certificates.readCrl(f)) : Optional.empty();
    }

    private X509CRL signCrl(PrivateKey rootKey, Duration nextUpdate, String operator) throws ProvisioningException {
        Instant now = clock.instant();
        List<RevocationLists.Entry> entries = store.certificates().stream().filter(IssuedCertificate::isRevoked)
                .map(c -> new RevocationLists.Entry(c.serial(), c.revokedAt().orElseThrow(), c.reason().orElseThrow().crlReason()))
                .toList();
        // build with the next number first, so a failure to sign does not burn a number
        X509CRL crl = RevocationLists.build(root, rootKey, entries, BigInteger.valueOf(store.currentCrlNumber() + 1),
                now, now.plus(nextUpdate));
        long n = store.nextCrlNumber(operator, entries.size() + " revoked, next update " + crl.getNextUpdate().toInstant(), now);
        SecureFiles.writePublic(dir.resolve(CRL), Certificates.pem(crl).getBytes(StandardCharsets.US_ASCII));
        Logger.info("registrar {}: CRL number {} with {} entries", operator, n, entries.size());
        return crl;
    }

    private PrivateKey rootKey(PassphraseSource passphrases) throws ProvisioningException {
        PrivateKey key = KeyFiles.read(dir.resolve(ROOT_KEY), passphrases, ROOT_PURPOSE);
        if (!Arrays.equals(Ed25519Keys.publicKeyInfo(key), root.getPublicKey().getEncoded())) {
            throw new ProvisioningException(Problem.INVALID_INPUT, dir.resolve(ROOT_KEY) + " does not belong to "
                    + dir.resolve(ROOT_CERT) + " (different public key)");
        }
        return key;
    }

    /** 128 random bits, positive, never zero, never used before (RFC 5280: at most 20 octets). */
    private BigInteger newSerial() {
        while (true) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            b[0] &= 0x7f;
            BigInteger s = new BigInteger(b);
            if (s.signum() > 0 && store.certificate(s).isEmpty()) {
                return s;
            }
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
