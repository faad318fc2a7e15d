package io.eiedge.provisioning.cert;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.pem.Pem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * Certificates and CRLs as JDK objects, from PEM or DER. They always come from the JDK's own
 * {@link CertificateFactory}: JSSE and Scandium quietly refuse to use BouncyCastle's
 * certificate classes (a TLS client then sends no certificate at all).
 */
public final class Certificates {

    private Certificates() {
    }

    public static X509Certificate parse(byte[] der, String where) throws ProvisioningException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, where + ": not an X.509 certificate (" + e.getMessage() + ")", e);
        }
    }

    public static X509CRL parseCrl(byte[] der, String where) throws ProvisioningException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException | CRLException | RuntimeException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, where + ": not an X.509 CRL (" + e.getMessage() + ")", e);
        }
    }

    /** Reads one certificate from a PEM or DER file. */
    public static X509Certificate read(Path file) throws ProvisioningException {
        return parse(derOf(file, Pem.CERTIFICATE), file.toString());
    }

    /** Reads one CRL from a PEM or DER file (CRLs travel as DER over MQTT and CoAP). */
    public static X509CRL readCrl(Path file) throws ProvisioningException {
        return parseCrl(derOf(file, Pem.X509_CRL), file.toString());
    }

    public static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] der(X509CRL crl) {
        try {
            return crl.getEncoded();
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(X509Certificate cert) {
        return Pem.encode(Pem.CERTIFICATE, der(cert));
    }

    public static String pem(X509CRL crl) {
        return Pem.encode(Pem.X509_CRL, der(crl));
    }

    private static byte[] derOf(Path file, String label) throws ProvisioningException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProvisioningException(Problem.NOT_FOUND, file + ": no such file");
        } catch (IOException e) {
            throw new ProvisioningException(Problem.IO, file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new ProvisioningException(Problem.INVALID_INPUT, file + ": the file is empty");
        }
        if (bytes[0] == 0x30) { // a DER SEQUENCE
            return bytes;
        }
        return Pem.decodeOne(new String(bytes, StandardCharsets.US_ASCII), file.toString(), Set.of(label)).getContent();
    }
}
