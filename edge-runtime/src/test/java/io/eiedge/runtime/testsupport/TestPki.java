package io.eiedge.runtime.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away registrar for tests, made with the {@code openssl} CLI: an Ed25519 root and
 * Ed25519 leaf certificates shaped like DESIGN.md's (device: CN, OU, SAN URI, clientAuth+serverAuth;
 * broker: SAN 127.0.0.1). Files are PEM in {@code dir}.
 */
public final class TestPki {
    private final Path dir;
    private final String name;

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** A new root CA named {@code name} in {@code dir}. */
    public static TestPki create(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        TestPki pki = new TestPki(dir, name);
        openssl(dir, "genpkey", "-algorithm", "ed25519", "-out", name + "-root.key");
        openssl(dir, "req", "-x509", "-new", "-key", name + "-root.key", "-subj", "/CN=" + name + " registrar",
                "-days", "2", "-out", name + "-root.crt",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return pki;
    }

    public Path rootCertificate() {
        return dir.resolve(name + "-root.crt");
    }

    /** The root's private key (unencrypted PKCS#8 PEM), e.g. to sign a CRL. */
    public Path rootKey() {
        return dir.resolve(name + "-root.key");
    }

    /** A leaf issued by this root; returns {key, cert}. */
    public Leaf device(String deviceId, String subnet, String role) throws IOException {
        return issue(deviceId, "/CN=" + deviceId + "/OU=" + subnet,
                "subjectAltName=URI:urn:eiedge:" + subnet + ":" + role + ":" + deviceId + "\n"
                        + "keyUsage=critical,digitalSignature\n"
                        + "extendedKeyUsage=clientAuth,serverAuth\n");
    }

    /** A broker certificate valid for 127.0.0.1 and localhost. */
    public Leaf broker() throws IOException {
        return issue("broker", "/CN=broker", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "keyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=serverAuth\n");
    }

    private Leaf issue(String id, String subject, String extensions) throws IOException {
        String base = name + "-" + id;
        Files.writeString(dir.resolve(base + ".ext"), extensions);
        openssl(dir, "genpkey", "-algorithm", "ed25519", "-out", base + ".key");
        openssl(dir, "req", "-new", "-key", base + ".key", "-subj", subject, "-out", base + ".csr");
        openssl(dir, "x509", "-req", "-in", base + ".csr", "-CA", name + "-root.crt", "-CAkey", name + "-root.key",
                "-CAcreateserial", "-days", "2", "-extfile", base + ".ext", "-out", base + ".crt");
        return new Leaf(dir.resolve(base + ".key"), dir.resolve(base + ".crt"));
    }

    /** A key and its certificate, PEM files. */
    public record Leaf(Path key, Path certificate) {
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
