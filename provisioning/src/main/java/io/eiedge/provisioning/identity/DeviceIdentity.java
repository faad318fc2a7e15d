package io.eiedge.provisioning.identity;

import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.cert.Fingerprints;
import io.eiedge.provisioning.trust.PeerCertificateValidator;

import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;

/**
 * A device's identity, loaded and cross-checked by {@link IdentityStore#load}: who it is, its key
 * (JDK-native for TLS/DTLS, and as the raw 32-byte Ed25519 seed for the ledger's low-level
 * signer), its certificate (a JDK {@link X509Certificate}, which JSSE and Scandium need), the
 * registrar root it trusts and the newest CRL it holds.
 */
public record DeviceIdentity(DeviceName name, PrivateKey privateKey, byte[] seed, X509Certificate certificate,
                             X509Certificate root, Optional<X509CRL> crl) {

    public DeviceIdentity {
        seed = seed.clone();
    }

    public String deviceId() {
        return name.deviceId();
    }

    public String subnet() {
        return name.subnet();
    }

    public Role role() {
        return name.role();
    }

    /** The raw Ed25519 seed (32 bytes); a copy. */
    @Override
    public byte[] seed() {
        return seed.clone();
    }

    /** The certificate DER (what /id and the cert topic serve). */
    public byte[] certificateDer() {
        return io.eiedge.provisioning.cert.Certificates.der(certificate);
    }

    /** COSE kid: SHA-256 of the certificate's SubjectPublicKeyInfo DER. */
    public byte[] kid() {
        return Fingerprints.kid(certificate);
    }

    /** SHA-256 of the certificate DER (header key 10). */
    public byte[] certificateSha256() {
        return Fingerprints.certificateSha256(certificate);
    }

    /** A peer validator trusting this identity's root, with its CRL when it has one. */
    public PeerCertificateValidator validator(Clock clock) throws ProvisioningException {
        PeerCertificateValidator v = PeerCertificateValidator.forRoot(root, clock);
        return crl.isPresent() ? v.withCrl(crl.get()) : v;
    }

    @Override
    public String toString() {
        return "DeviceIdentity[" + name + ", serial " + certificate.getSerialNumber().toString(16) + "]"; // never the key
    }
}
