package io.eiedge.ledger.verify;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.Ed25519PublicKey;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.InclusionProof;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.verify.VerificationException.Reason;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an aggregator embeds to check eiedge data with nothing but the registrar's root
 * certificate (and, when it has one, the registrar's CRL): device certificates, readings,
 * headers, chain segments and inclusion proofs. Uses only the JDK's X.509 code and the
 * ledger's own decoders; stateless apart from the trust anchor and CRL.
 */
public final class LedgerVerifier {
    private static final Pattern SAN = Pattern.compile("urn:eiedge:([^:]+):(router|exchange|interface):([^:]+)");

    private final X509Certificate root;
    private final X509CRL crl;
    private final InstantSource clock;

    /** @param crl the registrar's newest CRL, or null when none is known */
    public LedgerVerifier(X509Certificate root, X509CRL crl, InstantSource clock) throws VerificationException {
        this.root = root;
        this.clock = clock;
        if (crl != null) {
            try {
                crl.verify(root.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new VerificationException(Reason.CERTIFICATE, "CRL is not signed by the registrar root: " + e.getMessage(), e);
            }
        }
        this.crl = crl;
    }

    public static X509Certificate parseCertificate(byte[] encoded) throws VerificationException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new VerificationException(Reason.CERTIFICATE, "not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    /** A verifier with a newer CRL (checked against the root). */
    public LedgerVerifier withCrl(X509CRL newer) throws VerificationException {
        return new LedgerVerifier(root, newer, clock);
    }

    /** Checks a device certificate against the root, its validity, the CRL and its eiedge SAN. */
    public TrustedDevice trust(byte[] certificateDer) throws VerificationException {
        X509Certificate cert = parseCertificate(certificateDer);
        try {
            cert.verify(root.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new VerificationException(Reason.CERTIFICATE, "certificate of " + cert.getSubjectX500Principal()
                    + " is not signed by the registrar root: " + e.getMessage(), e);
        }
        try {
            cert.checkValidity(Date.from(clock.instant()));
        } catch (GeneralSecurityException e) {
            throw new VerificationException(Reason.CERTIFICATE, "certificate of " + cert.getSubjectX500Principal()
                    + " is not valid now (" + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant() + ")", e);
        }
        if (crl != null && crl.isRevoked(cert)) {
            throw new VerificationException(Reason.REVOKED, "certificate serial " + cert.getSerialNumber().toString(16)
                    + " of " + cert.getSubjectX500Principal() + " is revoked by the registrar");
        }
        Matcher san = eiedgeSan(cert);
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.fromSpki(cert.getPublicKey().getEncoded());
        } catch (IllegalArgumentException e) {
            throw new VerificationException(Reason.CERTIFICATE, "certificate key is not Ed25519");
        }
        return new TrustedDevice(san.group(3), san.group(1), san.group(2), key, Hash32.sha256(certificateDer), certificateDer.clone());
    }

    private static Matcher eiedgeSan(X509Certificate cert) throws VerificationException {
        try {
            var names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (((Integer) n.get(0)) == 6) { // uniformResourceIdentifier
                        Matcher m = SAN.matcher(String.valueOf(n.get(1)));
                        if (m.matches()) {
                            return m;
                        }
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new VerificationException(Reason.CERTIFICATE, "unreadable subject alternative names", e);
        }
        throw new VerificationException(Reason.CERTIFICATE, "certificate of " + cert.getSubjectX500Principal()
                + " has no SAN URI urn:eiedge:<subnet>:<role>:<device id>");
    }

    /** Decodes and checks one reading of {@code device}. */
    public SignedReading verifyReading(byte[] cose, TrustedDevice device) throws VerificationException {
        SignedReading r;
        try {
            r = SignedReading.decode(cose);
        } catch (LedgerFormatException e) {
            throw new VerificationException(Reason.FORMAT, e.getMessage(), e);
        }
        try {
            r.verify(device.key());
        } catch (SignatureException e) {
            throw new VerificationException(Reason.SIGNATURE, "reading seq " + r.seq() + " of " + r.reading().deviceId() + ": " + e.getMessage(), e);
        }
        if (!r.reading().deviceId().equals(device.deviceId())) {
            throw new VerificationException(Reason.IDENTITY, "reading claims device '" + r.reading().deviceId()
                    + "' but is signed by '" + device.deviceId() + "'");
        }
        return r;
    }

    /** Decodes and checks one header of {@code device}: signature, device id and certificate hash. */
    public SignedHeader verifyHeader(byte[] cose, TrustedDevice device) throws VerificationException {
        SignedHeader h;
        try {
            h = SignedHeader.decode(cose);
        } catch (LedgerFormatException e) {
            throw new VerificationException(Reason.FORMAT, e.getMessage(), e);
        }
        try {
            h.verify(device.key());
        } catch (SignatureException e) {
            throw new VerificationException(Reason.SIGNATURE, "header " + h.height() + " of " + h.deviceId() + ": " + e.getMessage(), e);
        }
        if (!h.deviceId().equals(device.deviceId())) {
            throw new VerificationException(Reason.IDENTITY, "header claims device '" + h.deviceId()
                    + "' but is signed by '" + device.deviceId() + "'");
        }
        if (!h.header().certHash().equals(device.certificateHash())) {
            throw new VerificationException(Reason.IDENTITY, "header " + h.height() + " of " + h.deviceId()
                    + " names certificate " + h.header().certHash().shortHex() + "…, signed under " + device.certificateHash().shortHex() + "…");
        }
        return h;
    }

    /** Checks that {@code next} follows {@code prev}: height + 1, prev hash, seq continuity. */
    public static void verifyLink(SignedHeader prev, SignedHeader next) throws VerificationException {
        Header p = prev.header();
        Header n = next.header();
        if (!n.deviceId().equals(p.deviceId())) {
            throw new VerificationException(Reason.LINK, "header " + n.height() + " is of '" + n.deviceId() + "', not '" + p.deviceId() + "'");
        }
        if (n.height() != p.height() + 1) {
            throw new VerificationException(Reason.LINK, n.deviceId() + ": height " + n.height() + " does not follow " + p.height());
        }
        if (!n.prevHash().equals(prev.hash())) {
            throw new VerificationException(Reason.LINK, n.deviceId() + ": header " + n.height() + " links to "
                    + n.prevHash().shortHex() + "…, but header " + p.height() + " hashes to " + prev.hash().shortHex() + "…");
        }
        if (n.firstSeq() != p.nextSeq()) {
            throw new VerificationException(Reason.LINK, n.deviceId() + ": header " + n.height() + " starts at seq "
                    + n.firstSeq() + ", expected " + p.nextSeq());
        }
    }

    /** A contiguous run of headers, each linked to the one before; the first from genesis if it is height 0. */
    public static void verifySegment(List<SignedHeader> headers) throws VerificationException {
        if (!headers.isEmpty() && headers.get(0).height() == 0) {
            Header g = headers.get(0).header();
            if (!g.prevHash().equals(Hash32.ZERO) || g.firstSeq() != 1 || g.count() != 0) {
                throw new VerificationException(Reason.LINK, g.deviceId() + ": genesis must have a zero prev hash, seq 1 and no readings");
            }
        }
        for (int i = 1; i < headers.size(); i++) {
            verifyLink(headers.get(i - 1), headers.get(i));
        }
    }

    /** The readings of a whole block: exactly its seq range, in order, hashing to its Merkle root. */
    public static void verifyBlock(SignedHeader header, List<SignedReading> readings) throws VerificationException {
        Header h = header.header();
        if (readings.size() != h.count()) {
            throw new VerificationException(Reason.MERKLE, h.deviceId() + " block " + h.height() + ": " + readings.size()
                    + " readings, the header commits to " + h.count());
        }
        for (int i = 0; i < readings.size(); i++) {
            if (readings.get(i).seq() != h.firstSeq() + i) {
                throw new VerificationException(Reason.MERKLE, h.deviceId() + " block " + h.height() + ": reading " + i
                        + " has seq " + readings.get(i).seq() + ", expected " + (h.firstSeq() + i));
            }
        }
        Hash32 root = MerkleTree.root(MerkleTree.leafHashes(readings.stream().map(r -> r.cose().encoded()).toList()));
        if (!root.equals(h.merkleRoot())) {
            throw new VerificationException(Reason.MERKLE, h.deviceId() + " block " + h.height() + ": readings hash to "
                    + root.shortHex() + "…, the header commits to " + h.merkleRoot().shortHex() + "…");
        }
    }

    /** One reading against a header it claims to be in. */
    public static void verifyInclusion(SignedReading reading, InclusionProof proof, SignedHeader header) throws VerificationException {
        Header h = header.header();
        if (proof.height() != h.height() || proof.treeSize() != h.count()) {
            throw new VerificationException(Reason.MERKLE, "proof is for height " + proof.height() + " (" + proof.treeSize()
                    + " leaves), the header is " + h.height() + " (" + h.count() + " readings)");
        }
        if (reading.seq() != h.firstSeq() + proof.leafIndex() || !reading.reading().deviceId().equals(h.deviceId())) {
            throw new VerificationException(Reason.MERKLE, "reading seq " + reading.seq() + " cannot be leaf " + proof.leafIndex()
                    + " of block " + h.height() + " (seq " + h.firstSeq() + "..)");
        }
        if (!proof.verify(reading.cose().encoded(), h.merkleRoot())) {
            throw new VerificationException(Reason.MERKLE, "inclusion proof of seq " + reading.seq() + " does not lead to the Merkle root of block " + h.height());
        }
    }
}
