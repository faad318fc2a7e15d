package io.eiedge.provisioning.cert;

import org.bouncycastle.asn1.x509.Certificate;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The identifiers eiedge derives from keys and certificates: the COSE {@code kid} (SHA-256 of the
 * certificate's SubjectPublicKeyInfo DER, DESIGN "Readings"), the certificate hash that headers
 * carry (SHA-256 of the certificate DER, header key 10), and the short fingerprint people compare
 * by eye: the first 16 bytes of the kid in groups of four hex digits.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** SHA-256 of the SubjectPublicKeyInfo DER exactly as it appears in the certificate. */
    public static byte[] kid(X509Certificate cert) {
        try {
            return sha256(Certificate.getInstance(cert.getEncoded()).getSubjectPublicKeyInfo().getEncoded("DER"));
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a SubjectPublicKeyInfo DER (the kid of a key not yet certified). */
    public static byte[] kid(byte[] subjectPublicKeyInfo) {
        return sha256(subjectPublicKeyInfo);
    }

    /** SHA-256 of the certificate DER (header key 10). */
    public static byte[] certificateSha256(X509Certificate cert) {
        return sha256(Certificates.der(cert));
    }

    /** e.g. {@code deb2 ded3 9dc2 6fce 0e60 85b6 fc34 bf6b}: 128 bits, readable aloud over a phone. */
    public static String human(byte[] kid) {
        String hex = HexFormat.of().formatHex(kid, 0, 16);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(hex, i, i + 4);
        }
        return sb.toString();
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
