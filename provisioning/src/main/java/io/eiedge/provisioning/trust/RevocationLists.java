package io.eiedge.provisioning.trust;

import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.cert.CertificateProfile;
import io.eiedge.provisioning.cert.Certificates;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * X.509 v2 CRLs as the registrar issues them: signed by the root, with a CRL number (so a device
 * can tell newer from older), an authority key identifier, next-update, and a reason code on
 * every entry.
 */
public final class RevocationLists {

    /** One revoked certificate. */
    public record Entry(BigInteger serial, Instant revokedAt, CRLReason reason) {
    }

    private RevocationLists() {
    }

    public static X509CRL build(X509Certificate root, PrivateKey rootKey, List<Entry> entries, BigInteger number,
                                Instant thisUpdate, Instant nextUpdate) throws ProvisioningException {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                CertificateProfile.date(thisUpdate));
        b.setNextUpdate(CertificateProfile.date(nextUpdate));
        for (Entry e : entries) {
            b.addCRLEntry(e.serial(), CertificateProfile.date(e.revokedAt()), e.reason().ordinal());
        }
        try {
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            b.addExtension(Extension.authorityKeyIdentifier, false, new BcX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(root.getPublicKey().getEncoded())));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        byte[] der;
        try {
            der = b.build(CertificateProfile.signer(rootKey)).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Certificates.parseCrl(der, "new CRL");
    }

    /** The CRL number, if the CRL has one. */
    public static Optional<BigInteger> number(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code candidate} is older than {@code held}: by CRL number when both have one, else by this-update. */
    public static boolean isOlder(X509CRL candidate, X509CRL held) {
        Optional<BigInteger> a = number(candidate);
        Optional<BigInteger> b = number(held);
        if (a.isPresent() && b.isPresent()) {
            return a.get().compareTo(b.get()) < 0;
        }
        return candidate.getThisUpdate().before(held.getThisUpdate());
    }

    /** RFC 5280's camelCase name of a reason ("keyCompromise"). */
    public static String reasonName(CRLReason reason) {
        String[] words = reason.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        String s = sb.toString();
        return s.equals("caCompromise") ? "cACompromise" : s.equals("aaCompromise") ? "aACompromise" : s;
    }
}
