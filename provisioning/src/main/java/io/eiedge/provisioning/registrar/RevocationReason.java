package io.eiedge.provisioning.registrar;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.trust.RevocationLists;

import java.security.cert.CRLReason;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The RFC 5280 reasons a registrar may give, by their RFC names. {@code certificateHold} and
 * {@code removeFromCRL} are left out on purpose: revocation is final (a device that returns gets
 * a new certificate).
 */
public enum RevocationReason {
    UNSPECIFIED(CRLReason.UNSPECIFIED),
    KEY_COMPROMISE(CRLReason.KEY_COMPROMISE),
    AFFILIATION_CHANGED(CRLReason.AFFILIATION_CHANGED),
    SUPERSEDED(CRLReason.SUPERSEDED),
    CESSATION_OF_OPERATION(CRLReason.CESSATION_OF_OPERATION),
    PRIVILEGE_WITHDRAWN(CRLReason.PRIVILEGE_WITHDRAWN);

    private final CRLReason crlReason;

    RevocationReason(CRLReason crlReason) {
        this.crlReason = crlReason;
    }

    public CRLReason crlReason() {
        return crlReason;
    }

    /** "keyCompromise", "cessationOfOperation", … */
    public String rfcName() {
        return RevocationLists.reasonName(crlReason);
    }

    public static RevocationReason parse(String text) throws ProvisioningException {
        for (RevocationReason r : values()) {
            if (r.rfcName().equalsIgnoreCase(text) || r.name().equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw new ProvisioningException(Problem.INVALID_INPUT, "reason '" + text + "' is not one of " + choices());
    }

    public static String choices() {
        return Arrays.stream(values()).map(RevocationReason::rfcName).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return rfcName();
    }
}
