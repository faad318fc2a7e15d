package io.eiedge.provisioning.cert;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.DeviceName;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * The eiedge certificate profile (DESIGN "Identity and the registrar"), in one place: what the
 * registrar's root and a device certificate contain, and the check that a certificate in hand
 * follows the device profile.
 *
 * <ul>
 * <li>root: subject {@code CN=<name>} only, basicConstraints CA with pathLen 0 (critical),
 *     keyUsage keyCertSign + cRLSign (critical), subject key identifier;</li>
 * <li>device: subject {@code CN=<device id>, OU=<subnet>}, basicConstraints CA:false (critical),
 *     keyUsage digitalSignature (critical), EKU clientAuth + serverAuth (one certificate serves
 *     DTLS and MQTT TLS), SAN URI {@code urn:eiedge:<subnet>:<role>:<device id>}, subject and
 *     authority key identifiers (they help {@code openssl} and JSSE pick the issuer).</li>
 * </ul>
 * Signing uses the JDK's Ed25519 through BouncyCastle's builders; no provider is registered.
 */
public final class CertificateProfile {

    private static final String ED25519 = "Ed25519";
    private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();
    private static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();

    private CertificateProfile() {
    }

    /** The device subject: CN first, then OU, as in the wire vectors. */
    public static X500Name deviceSubject(DeviceName name) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, name.deviceId())
                .addRDN(BCStyle.OU, name.subnet())
                .build();
    }

    /** The extensions a device requests in its CSR and receives in its certificate (no key identifiers). */
    public static List<Extension> deviceExtensions(DeviceName name) {
        try {
            List<Extension> out = new ArrayList<>();
            out.add(new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded()));
            out.add(new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded()));
            out.add(new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}).getEncoded()));
            out.add(new Extension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, name.urn())).getEncoded()));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed registrar root. */
    public static X509Certificate root(String commonName, PrivateKey rootKey, byte[] rootSpki, BigInteger serial,
                                       Instant notBefore, Instant notAfter) throws ProvisioningException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(rootSpki);
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(subject, serial, date(notBefore), date(notAfter), subject, spki);
        try {
            BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(spki));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return Certificates.parse(encoded(b, rootKey), "new root certificate");
    }

    /** A device certificate signed by the root. */
    public static X509Certificate device(DeviceName name, byte[] deviceSpki, X509Certificate root, PrivateKey rootKey,
                                         BigInteger serial, Instant notBefore, Instant notAfter) throws ProvisioningException {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(deviceSpki);
        X500Name issuer = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, serial, date(notBefore), date(notAfter),
                deviceSubject(name), spki);
        try {
            BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
            for (Extension e : deviceExtensions(name)) {
                b.addExtension(e);
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(spki));
            b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(
                    SubjectPublicKeyInfo.getInstance(root.getPublicKey().getEncoded())));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return Certificates.parse(encoded(b, rootKey), "new device certificate");
    }

    private static byte[] encoded(X509v3CertificateBuilder b, PrivateKey key) {
        try {
            return b.build(signer(key)).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A content signer over the JDK's Ed25519 (no BouncyCastle provider needed). */
    public static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(ED25519).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }

    /** X.509 times have whole seconds; cutting here keeps what we record equal to what we issue. */
    public static Date date(Instant t) {
        return Date.from(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Checks that a certificate follows the device profile and returns who it names. Each refusal
     * says which part is wrong.
     *
     * @param where what the certificate is, for messages ("device.pem", "peer certificate")
     */
    public static DeviceName inspectDevice(X509Certificate cert, String where) throws ProvisioningException {
        checkDeviceProfile(cert, where);
        return deviceName(cert, where);
    }

    /** The key type, CA bit, key usage and EKU of the device profile. */
    public static void checkDeviceProfile(X509Certificate cert, String where) throws ProvisioningException {
        if (!isEd25519(cert)) {
            throw invalid(where + ": the key is " + cert.getPublicKey().getAlgorithm() + ", not Ed25519");
        }
        if (cert.getBasicConstraints() >= 0) {
            throw invalid(where + ": is a CA certificate, not a device certificate");
        }
        boolean[] ku = cert.getKeyUsage();
        if (ku == null || !ku[0]) {
            throw invalid(where + ": key usage does not include digitalSignature");
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw invalid(where + ": unreadable extended key usage (" + e.getMessage() + ")");
        }
        if (eku == null || !eku.contains(CLIENT_AUTH) || !eku.contains(SERVER_AUTH)) {
            throw invalid(where + ": extended key usage must include clientAuth and serverAuth, has " + eku);
        }
    }

    /** Who a device certificate names: its one SAN URI, which must agree with the subject's CN and OU. */
    public static DeviceName deviceName(X509Certificate cert, String where) throws ProvisioningException {
        DeviceName name = DeviceName.parseUrn(sanUri(cert, where), where);
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        String cn = single(subject, BCStyle.CN, "CN", where);
        String ou = single(subject, BCStyle.OU, "OU", where);
        if (!name.deviceId().equals(cn)) {
            throw invalid(where + ": subject CN=" + cn + " but the SAN names device " + name.deviceId());
        }
        if (!name.subnet().equals(ou)) {
            throw invalid(where + ": subject OU=" + ou + " but the SAN names subnet " + name.subnet());
        }
        return name;
    }

    /** The one eiedge SAN URI; several, none, or other URIs are refused. */
    private static String sanUri(X509Certificate cert, String where) throws ProvisioningException {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw invalid(where + ": unreadable subject alternative name (" + e.getMessage() + ")");
        }
        List<String> uris = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(GeneralName.uniformResourceIdentifier).equals(san.get(0))) {
                    uris.add(String.valueOf(san.get(1)));
                }
            }
        }
        if (uris.size() != 1) {
            throw invalid(where + ": must carry exactly one SAN URI urn:eiedge:<subnet>:<role>:<device id>, has " + uris);
        }
        return uris.get(0);
    }

    static String single(X500Name name, ASN1ObjectIdentifier type, String label, String where) throws ProvisioningException {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            throw invalid(where + ": subject must have exactly one " + label + ", has " + rdns.length + " (" + name + ")");
        }
        return text(rdns[0].getFirst().getValue());
    }

    /** The single CN of a name (the root's, a device's). */
    public static String commonName(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] rdns = subject.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? subject.toString() : text(rdns[0].getFirst().getValue());
    }

    /** The plain text of a name attribute (no RFC 4514 escaping). */
    private static String text(ASN1Encodable v) {
        return v instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(v);
    }

    public static boolean isEd25519(X509Certificate cert) {
        return isEd25519Spki(cert.getPublicKey().getEncoded());
    }

    public static boolean isEd25519Spki(byte[] spki) {
        try {
            return EdECObjectIdentifiers.id_Ed25519.equals(SubjectPublicKeyInfo.getInstance(spki).getAlgorithm().getAlgorithm());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ProvisioningException invalid(String message) {
        return new ProvisioningException(Problem.INVALID_INPUT, message);
    }
}
