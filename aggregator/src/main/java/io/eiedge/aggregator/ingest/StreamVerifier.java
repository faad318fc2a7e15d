package io.eiedge.aggregator.ingest;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.peers.Equivocation;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.provisioning.trust.RevocationLists;
import io.eiedge.runtime.watch.Problem.Kind;
import io.eiedge.runtime.watch.WatchTopic;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;

/**
 * Verifies what {@code ingest} receives with {@link LedgerVerifier} and the registrar root, one
 * message at a time, into an {@link Item}. Certificates and CRLs change what is trusted and are
 * handled by one thread ({@link #trustChange}); readings, headers, alerts and balances only read
 * that state and may be verified by several threads at once ({@link #verify}).
 *
 * <p>Unlike {@code watch}, nothing about a chain's history is kept here: with a shared subscription
 * each instance sees only part of a device's stream, so duplicates, conflicts, links and Merkle
 * roots are judged against the database ({@link io.eiedge.aggregator.store.BatchWriter},
 * {@link io.eiedge.aggregator.store.BlockChecker}).
 */
public final class StreamVerifier {
    private final String prefix;
    private volatile LedgerVerifier verifier;
    private volatile X509CRL crl;
    private final Map<Hash32, TrustedDevice> byKid = new ConcurrentHashMap<>();
    private final Map<Hash32, TrustedDevice> byCertHash = new ConcurrentHashMap<>();
    private final Set<Hash32> revokedKids = ConcurrentHashMap.newKeySet();
    private final Set<String> devicesWithCertificate = ConcurrentHashMap.newKeySet();

    public StreamVerifier(X509Certificate root, Optional<X509CRL> crl, String prefix, InstantSource clock) throws VerificationException {
        this.prefix = prefix;
        this.verifier = new LedgerVerifier(root, crl.orElse(null), clock);
        this.crl = crl.orElse(null);
    }

    /** Whether a CRL is in force (ingest stores nothing before one is). */
    public boolean hasCrl() {
        return crl != null;
    }

    public Optional<X509CRL> crl() {
        return Optional.ofNullable(crl);
    }

    // ---------------------------------------------------------------- trust: one thread

    /** A certificate or CRL message (also those loaded from the store at start). */
    public Item trustChange(String topic, byte[] payload) {
        Optional<WatchTopic> t = WatchTopic.parse(prefix, topic);
        if (t.isEmpty()) return new Item.Ignored("not an eiedge topic");
        return switch (t.get().leaf()) {
            case CERT -> certificate(topic, t.get(), payload);
            case CRL -> crl(topic, t.get(), payload);
            default -> throw new IllegalArgumentException(topic + " is not a certificate or CRL topic");
        };
    }

    private Item certificate(String topic, WatchTopic t, byte[] der) {
        TrustedDevice td;
        try {
            td = verifier.trust(der);
        } catch (VerificationException e) {
            if (e.reason() == VerificationException.Reason.REVOKED) {
                kidOf(der).ifPresent(revokedKids::add);
                devicesWithCertificate.add(t.device());
                return new Item.Ignored("revoked certificate of " + t.device());
            }
            return verdict(Kind.UNTRUSTED_CERTIFICATE, t, -1, topic, e.getMessage(), der);
        }
        if (!td.deviceId().equals(t.device()) || !td.subnet().equals(t.subnet())) {
            return verdict(Kind.UNTRUSTED_CERTIFICATE, t, -1, topic, "certificate of " + td.deviceId() + " in subnet "
                    + td.subnet() + " published as " + t.device() + " in subnet " + t.subnet(), der);
        }
        byKid.put(td.key().kid(), td);
        byCertHash.put(td.certificateHash(), td);
        devicesWithCertificate.add(td.deviceId());
        X509Certificate cert = parse(der);
        return new Item.Certificate(td, cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant());
    }

    private Item crl(String topic, WatchTopic t, byte[] der) {
        X509CRL c;
        try {
            c = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return verdict(Kind.BAD_CRL, t, -1, topic, "not a DER X.509 CRL: " + e.getMessage(), der);
        }
        X509CRL held = crl;
        if (held != null && !RevocationLists.isOlder(held, c)) return new Item.Ignored("CRL not newer than the one held");
        Optional<String> refused = adopt(c);
        if (refused.isPresent()) return verdict(Kind.BAD_CRL, t, -1, topic, refused.get(), der);
        return new Item.Crl(c, RevocationLists.number(c).orElse(BigInteger.valueOf(-1)), der);
    }

    /** Puts {@code c} in force and withdraws trust from what it revokes; the error message if it is not the registrar's. */
    private Optional<String> adopt(X509CRL c) {
        try {
            verifier = verifier.withCrl(c);
        } catch (VerificationException e) {
            return Optional.of(e.getMessage());
        }
        crl = c;
        for (TrustedDevice td : List.copyOf(byKid.values())) {
            if (c.isRevoked(parse(td.certificateDer()))) {
                byKid.remove(td.key().kid());
                byCertHash.remove(td.certificateHash());
                revokedKids.add(td.key().kid());
                Logger.warn("ingest: {} in {} is revoked by CRL {}", td.deviceId(), td.subnet(),
                        RevocationLists.number(c).map(BigInteger::toString).orElse("?"));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- data: any thread

    /** A reading, header, alert or balance message. Never throws for bad input. */
    public Item verify(String topic, byte[] payload) {
        Optional<WatchTopic> parsed = WatchTopic.parse(prefix, topic);
        if (parsed.isEmpty()) return new Item.Ignored("not an eiedge topic");
        WatchTopic t = parsed.get();
        try {
            return switch (t.leaf()) {
                case READING -> reading(topic, t, payload);
                case HEADER -> header(topic, t, payload);
                case ALERT -> alert(topic, t, payload);
                case BALANCE -> balance(topic, t, payload);
                case STATE -> new Item.Ignored("state");
                case CERT, CRL -> throw new IllegalArgumentException(topic + " changes trust; use trustChange");
            };
        } catch (RuntimeException e) {
            Logger.error(e, "ingest: {} could not be handled", topic);
            return verdict(Kind.MALFORMED, t, -1, topic, "could not be handled: " + e, payload);
        }
    }

    private Item reading(String topic, WatchTopic t, byte[] payload) {
        SignedReading r;
        try {
            r = SignedReading.decode(payload);
        } catch (LedgerFormatException e) {
            return verdict(Kind.MALFORMED, t, -1, topic, "reading: " + e.getMessage(), payload);
        }
        long seq = r.seq();
        Hash32 kid = r.cose().kid();
        if (revokedKids.contains(kid)) {
            return verdict(Kind.REVOKED, t, seq, topic, "reading seq " + seq + " signed with a revoked certificate's key", payload);
        }
        TrustedDevice td = byKid.get(kid);
        if (td == null) {
            if (!devicesWithCertificate.contains(t.device())) return new Item.AwaitCertificate(t.device());
            return verdict(Kind.FORGED, t, seq, topic, "reading seq " + seq + " is signed with key " + kid.shortHex()
                    + "…, not with the key of a certificate of " + t.device(), payload);
        }
        try {
            r = verifier.verifyReading(payload, td);
        } catch (VerificationException e) {
            return verdict(Kind.FORGED, t, seq, topic, e.getMessage(), payload);
        }
        if (!td.deviceId().equals(t.device()) || !td.subnet().equals(t.subnet())) {
            return verdict(Kind.FORGED, t, seq, topic, "reading seq " + seq + " of " + td.deviceId() + " (subnet "
                    + td.subnet() + ") published as " + t.subnet() + "/" + t.device(), payload);
        }
        return new Item.Reading(r, td.subnet(), td.certificateHash(), Hash32.sha256(payload));
    }

    private Item header(String topic, WatchTopic t, byte[] payload) {
        SignedHeader h;
        try {
            h = SignedHeader.decode(payload);
        } catch (LedgerFormatException e) {
            return verdict(Kind.MALFORMED, t, -1, topic, "header: " + e.getMessage(), payload);
        }
        long height = h.height();
        if (revokedKids.contains(h.cose().kid())) {
            // a revoked device's retained header stays on the broker: old news, not an offence
            return new Item.Ignored("header " + height + " of " + t.device() + " under a revoked certificate");
        }
        TrustedDevice td = byCertHash.get(h.header().certHash());
        if (td == null) td = byKid.get(h.cose().kid());
        if (td == null) {
            if (!devicesWithCertificate.contains(t.device())) return new Item.AwaitCertificate(t.device());
            return verdict(Kind.FORGED, t, height, topic, "header " + height + " is signed with key "
                    + h.cose().kid().shortHex() + "…, not with the key of a certificate of " + t.device(), payload);
        }
        try {
            h = verifier.verifyHeader(payload, td);
        } catch (VerificationException e) {
            return verdict(e.reason() == VerificationException.Reason.FORMAT ? Kind.MALFORMED : Kind.FORGED, t, height, topic,
                    e.getMessage(), payload);
        }
        if (!td.deviceId().equals(t.device()) || !td.subnet().equals(t.subnet())) {
            return verdict(Kind.FORGED, t, height, topic, "header " + height + " of " + td.deviceId() + " (subnet "
                    + td.subnet() + ") published as " + t.subnet() + "/" + t.device(), payload);
        }
        long[] loss = declaredLoss(h.cose());
        return new Item.Header(h, td.subnet(), loss[0], (int) loss[1]);
    }

    /**
     * Header key 11 {@code [count, reason]}, read from the signed payload itself so the store keeps
     * declared losses whatever the ledger's model makes of them; {0, -1} when absent.
     */
    static long[] declaredLoss(CoseSign1 cose) {
        CBORObject map = CBORObject.DecodeFromBytes(cose.payload());
        CBORObject loss = map.get(11);
        if (loss == null || loss.getType() != CBORType.Array || loss.size() != 2) return new long[] {0, -1};
        return new long[] {loss.get(0).AsNumber().ToInt64Checked(), loss.get(1).AsNumber().ToInt64Checked()};
    }

    private Item alert(String topic, WatchTopic t, byte[] payload) {
        Equivocation e;
        try {
            e = Equivocation.decode(payload);
        } catch (LedgerFormatException ex) {
            return verdict(Kind.MALFORMED, t, -1, topic, "alert: " + ex.getMessage(), payload);
        }
        Hash32 digest = Hash32.sha256(payload);
        String what = e.deviceId() + " signed two different headers for height " + e.height();
        try {
            Hash32 certHash = null;
            for (byte[] header : List.of(e.headerA(), e.headerB())) {
                SignedHeader h = SignedHeader.decode(header);
                TrustedDevice td = byCertHash.get(h.header().certHash());
                if (td == null || !td.deviceId().equals(e.deviceId())) {
                    if (!devicesWithCertificate.contains(e.deviceId())) {
                        return new Item.Alert(t.subnet(), e.deviceId(), e.height(), e.headerA(), e.headerB(), false,
                                what + " (not checked: no certificate of " + e.deviceId() + " received)", digest);
                    }
                    throw new VerificationException(VerificationException.Reason.SIGNATURE,
                            "a header of the evidence is not signed under a certificate of " + e.deviceId());
                }
                verifier.verifyHeader(header, td);
                if (certHash != null && !certHash.equals(td.certificateHash())) {
                    throw new VerificationException(VerificationException.Reason.IDENTITY,
                            "the two headers are signed under different certificates (a re-keyed device, not equivocation)");
                }
                certHash = td.certificateHash();
            }
        } catch (VerificationException | LedgerFormatException ex) {
            return verdict(Kind.FORGED, t, e.height(), topic, "alert evidence against " + e.deviceId()
                    + " does not verify: " + ex.getMessage(), payload);
        }
        return new Item.Alert(t.subnet(), e.deviceId(), e.height(), e.headerA(), e.headerB(), true, what + " (evidence verified)", digest);
    }

    private Item balance(String topic, WatchTopic t, byte[] payload) {
        CoseSign1 c;
        try {
            c = CoseSign1.decode(payload);
        } catch (LedgerFormatException e) {
            return verdict(Kind.MALFORMED, t, -1, topic, "balance: " + e.getMessage(), payload);
        }
        TrustedDevice td = byKid.get(c.kid());
        if (td == null || !td.subnet().equals(t.subnet()) || !"exchange".equals(td.role())) {
            return verdict(Kind.FORGED, t, -1, topic, "balance signed with key " + c.kid().shortHex()
                    + "…, not by a certified exchange of subnet " + t.subnet(), payload);
        }
        try {
            c.verify(td.key());
        } catch (SignatureException e) {
            return verdict(Kind.FORGED, t, -1, topic, "balance: " + e.getMessage(), payload);
        }
        long time = -1;
        try {
            CBORObject map = CBORObject.DecodeFromBytes(c.payload());
            if (map.get(2) != null) time = map.get(2).AsNumber().ToInt64Checked();
        } catch (RuntimeException e) {
            return verdict(Kind.MALFORMED, t, -1, topic, "balance payload: " + e.getMessage(), payload);
        }
        return new Item.Balance(t.subnet(), td.deviceId(), time, payload, Hash32.sha256(payload));
    }

    private static Item.Verdict verdict(Kind kind, WatchTopic t, long number, String topic, String detail, byte[] cose) {
        Logger.warn("ingest: {} {}/{} on {}: {}", kind.label(), t.subnet(), t.device(), topic, detail);
        return new Item.Verdict(kind, t.subnet(), t.device(), number, topic, detail, cose, null);
    }

    private static Optional<Hash32> kidOf(byte[] der) {
        try {
            return Optional.of(io.eiedge.ledger.cose.Ed25519PublicKey.fromSpki(parse(der).getPublicKey().getEncoded()).kid());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return LedgerVerifier.parseCertificate(der);
        } catch (VerificationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
