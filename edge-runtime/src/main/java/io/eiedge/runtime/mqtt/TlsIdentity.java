package io.eiedge.runtime.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The device's TLS identity for the broker connection: its Ed25519 key, its certificate (chain),
 * and the registrar root, the only certificate trusted for the broker.
 *
 * <p>JSSE silently sends no client certificate when handed key or certificate objects from
 * another provider (e.g. BouncyCastle's), so the constructor re-creates both as JDK objects from
 * their encodings, whatever produced them.
 */
public record TlsIdentity(PrivateKey key, List<X509Certificate> chain, X509Certificate registrarRoot) {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    public TlsIdentity {
        if (chain.isEmpty()) throw new IllegalArgumentException("the certificate chain is empty");
        try {
            key = jdkKey(key);
            List<X509Certificate> copy = new ArrayList<>();
            for (X509Certificate c : chain) copy.add(jdkCertificate(c));
            chain = List.copyOf(copy);
            registrarRoot = jdkCertificate(registrarRoot);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the device key or certificates with the JDK's TLS: "
                    + e.getMessage(), e);
        }
    }

    /** Never prints the key: records print every component by default. */
    @Override
    public String toString() {
        return "TlsIdentity[" + chain.getFirst().getSubjectX500Principal().getName() + ", root "
                + registrarRoot.getSubjectX500Principal().getName() + "]";
    }

    /** The device certificate, DER, as published on the retained {@code …/cert} topic. */
    public byte[] certificateDer() {
        try {
            return chain.getFirst().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads an unencrypted PKCS#8 PEM key, a PEM certificate (chain) and the PEM registrar root.
     * Encrypted keys are decrypted by the provisioning module and passed to the constructor.
     */
    public static TlsIdentity fromPemFiles(Path keyFile, Path certificateFile, Path rootFile)
            throws IOException, GeneralSecurityException {
        Matcher m = PEM_KEY.matcher(Files.readString(keyFile, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IOException(keyFile + ": expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] pkcs8 = Base64.getMimeDecoder().decode(m.group(1));
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        List<X509Certificate> chain = certificates(certificateFile);
        List<X509Certificate> roots = certificates(rootFile);
        if (chain.isEmpty()) throw new IOException(certificateFile + ": no certificate found");
        if (roots.size() != 1) throw new IOException(rootFile + ": expected one root certificate, found " + roots.size());
        return new TlsIdentity(key, chain, roots.getFirst());
    }

    /**
     * A TLS socket factory presenting this identity and trusting only the registrar root
     * (TLS 1.3, or 1.2 when the broker has nothing newer).
     */
    public SSLSocketFactory socketFactory() throws GeneralSecurityException {
        return sslContext().getSocketFactory();
    }

    /**
     * The TLS context both ends use: this identity as the key material (JDK-native objects), the
     * registrar root as the only trust anchor — the broker link's client side and the status
     * page's server side (where the root decides which client certificates are accepted).
     */
    public SSLContext sslContext() throws GeneralSecurityException {
        // the password only protects the in-memory key store; nothing is written anywhere
        char[] password = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try {
            keys.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        keys.setKeyEntry("device", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, password);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry("registrar-root", registrarRoot);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);

        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }

    private static PrivateKey jdkKey(PrivateKey key) throws GeneralSecurityException {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) throw new GeneralSecurityException("the private key cannot be exported as PKCS#8");
        String algorithm = "EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm())
                ? "Ed25519" : key.getAlgorithm();
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static X509Certificate jdkCertificate(X509Certificate c) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.getEncoded()));
    }
}
