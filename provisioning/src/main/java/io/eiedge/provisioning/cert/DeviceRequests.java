package io.eiedge.provisioning.cert;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.key.Ed25519Keys;
import io.eiedge.provisioning.pem.Pem;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;

import java.io.IOException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PKCS#10 requests: the technician makes one on the device (subject, SAN URI and the requested
 * device extensions, signed with the device key); the registrar reads one back and checks its
 * signature and fields before anything is issued.
 */
public final class DeviceRequests {

    private DeviceRequests() {
    }

    /** A request checked for signature and fields: who it names and the key to certify. */
    public record CheckedRequest(DeviceName name, byte[] subjectPublicKeyInfo, byte[] der) {
    }

    /** Builds and signs a request for the name with the device key; returns PEM. */
    public static String create(DeviceName name, PrivateKey deviceKey) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(Ed25519Keys.publicKeyInfo(deviceKey));
        PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(CertificateProfile.deviceSubject(name), spki);
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                new Extensions(CertificateProfile.deviceExtensions(name).toArray(new Extension[0])));
        try {
            return Pem.encode(Pem.CERTIFICATE_REQUEST, b.build(CertificateProfile.signer(deviceKey)).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a PEM request and checks it; every refusal names the request and what is wrong. */
    public static CheckedRequest check(String pemText, String where) throws ProvisioningException {
        byte[] der = Pem.decodeOne(pemText, where, Set.of(Pem.CERTIFICATE_REQUEST, "NEW CERTIFICATE REQUEST")).getContent();
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw invalid(where + ": corrupted certificate request (" + e.getMessage() + ")");
        }
        SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
        byte[] spkiDer;
        try {
            spkiDer = spki.getEncoded("DER");
        } catch (IOException e) {
            throw invalid(where + ": unreadable public key (" + e.getMessage() + ")");
        }
        if (!CertificateProfile.isEd25519Spki(spkiDer)) {
            throw invalid(where + ": the key is " + spki.getAlgorithm().getAlgorithm().getId() + ", eiedge devices use Ed25519");
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(Ed25519Keys.publicKey(spkiDer)));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw invalid(where + ": the request's signature does not match its public key"
                    + " (altered after signing, or signed with another key); nothing was issued");
        }
        X500Name subject = csr.getSubject();
        String cn = CertificateProfile.single(subject, BCStyle.CN, "CN", where);
        String ou = CertificateProfile.single(subject, BCStyle.OU, "OU", where);
        Extensions ext = csr.getRequestedExtensions();
        if (ext == null || ext.getExtension(Extension.subjectAlternativeName) == null) {
            throw invalid(where + ": requests no subject alternative name (expected urn:eiedge:<subnet>:<role>:<device id>)");
        }
        BasicConstraints bc = BasicConstraints.fromExtensions(ext);
        if (bc != null && bc.isCA()) {
            throw invalid(where + ": requests a CA certificate; devices get end-entity certificates only");
        }
        List<String> uris = new ArrayList<>();
        for (GeneralName g : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName).getNames()) {
            if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                uris.add(g.getName().toString());
            }
        }
        if (uris.size() != 1) {
            throw invalid(where + ": must request exactly one SAN URI, has " + uris);
        }
        DeviceName name = DeviceName.parseUrn(uris.get(0), where);
        if (!name.deviceId().equals(cn)) {
            throw invalid(where + ": subject CN=" + cn + " but the SAN names device " + name.deviceId());
        }
        if (!name.subnet().equals(ou)) {
            throw invalid(where + ": subject OU=" + ou + " but the SAN names subnet " + name.subnet());
        }
        return new CheckedRequest(name, spkiDer, der);
    }

    private static ProvisioningException invalid(String message) {
        return new ProvisioningException(Problem.INVALID_INPUT, message);
    }
}
