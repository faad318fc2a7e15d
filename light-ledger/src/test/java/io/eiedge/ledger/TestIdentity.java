package io.eiedge.ledger;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.chain.ChainIdentity;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.verify.LedgerVerifier;

import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.Base64;

/** The vectors' device (router-07, sub-3) and registrar root: a real key with a real certificate. */
public final class TestIdentity {
    private static final CBORObject V = WireVectors.load();

    private TestIdentity() {
    }

    public static Ed25519PrivateKey deviceKey() {
        return new Ed25519PrivateKey(WireVectors.hex(V.get("keys").get("device_seed_hex")));
    }

    public static byte[] deviceCertDer() {
        return pemToDer(V.get("certificates").get("device_cert_pem").AsString());
    }

    public static byte[] rootCertDer() {
        return pemToDer(V.get("certificates").get("registrar_root_pem").AsString());
    }

    public static ChainIdentity router07() {
        return new ChainIdentity("router-07", deviceKey(), deviceCertDer());
    }

    public static LedgerVerifier verifier() throws Exception {
        X509Certificate root = LedgerVerifier.parseCertificate(rootCertDer());
        return new LedgerVerifier(root, null, InstantSource.system());
    }

    static byte[] pemToDer(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
