package io.eiedge.aggregator.ingest;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.runtime.watch.Problem;
import java.math.BigInteger;
import java.security.cert.X509CRL;

/** What verifying one message produced: something to store, a verdict to record, or a wait. */
public sealed interface Item {

    /** A device certificate that chained to the root (and is not revoked). */
    record Certificate(TrustedDevice device, String serialHex, java.time.Instant notAfter) implements Item {
    }

    /** A registrar CRL newer than the one held; {@code revokes} lists certificates it revokes now. */
    record Crl(X509CRL crl, BigInteger number, byte[] der) implements Item {
    }

    /** A reading whose signature verified under {@code certHash}. */
    record Reading(SignedReading reading, String subnet, Hash32 certHash, Hash32 digest) implements Item {
        public String device() {
            return reading.reading().deviceId();
        }
    }

    /** A header whose signature verified; {@code lossCount} and {@code lossReason} from key 11 (0 and -1 when absent). */
    record Header(SignedHeader header, String subnet, long lossCount, int lossReason) implements Item {
    }

    /** Verified or unverifiable equivocation evidence from an alert topic. */
    record Alert(String subnet, String device, long height, byte[] headerA, byte[] headerB, boolean verified, String detail,
                 Hash32 digest) implements Item {
    }

    /** An exchange's subnet balance whose signature verified. */
    record Balance(String subnet, String device, long timeMs, byte[] cose, Hash32 digest) implements Item {
    }

    /**
     * Something refused or found wrong; kept with the bytes as evidence.
     *
     * @param number seq or height, -1 when unknown
     */
    record Verdict(Problem.Kind kind, String subnet, String device, long number, String topic, String detail, byte[] cose,
                   byte[] otherCose) implements Item {
    }

    /** Nothing to do (a state message, a duplicate CRL, a retained header of a revoked device). */
    record Ignored(String why) implements Item {
    }

    /** The device's certificate is not known yet: try again once it is. */
    record AwaitCertificate(String device) implements Item {
    }
}
