package io.eiedge.provisioning.trust;

/** Why a peer certificate is refused; {@link PeerVerdict#detail()} says the specifics. */
public enum Refusal {
    /** No certificate at all was presented. */
    NO_CERTIFICATE,
    /** The chain holds certificates other than the peer's and the registrar root. */
    UNEXPECTED_CHAIN,
    /** Not issued by the registrar root (another issuer, or the signature does not verify). */
    NOT_FROM_REGISTRAR,
    /** The peer certificate has expired. */
    EXPIRED,
    /** The peer certificate is not valid yet (or the device clock is behind). */
    NOT_YET_VALID,
    /** The registrar root itself is outside its validity. */
    ROOT_OUT_OF_VALIDITY,
    /** The certificate does not follow the device profile (CA bit, key usage, EKU, key type). */
    NOT_A_DEVICE_CERTIFICATE,
    /** The SAN URI is missing, malformed, or disagrees with the subject. */
    BAD_NAME,
    /** The registrar's CRL revokes the certificate. */
    REVOKED
}
