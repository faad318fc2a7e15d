package io.eiedge.bench.footprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A registrar and a device identity made with the CLI, as a technician and a registrar operator
 * would: registrar init, keygen and CSR on the device, sign at the registrar, install.
 */
final class BenchIdentity {
    private static final Map<String, String> REGISTRAR_PASS = Map.of("EIEDGE_PASSPHRASE", "footprint bench registrar");

    private BenchIdentity() {
    }

    /** Returns the identity folder ({@code identity.dir}) of {@link BenchConfig#DEVICE}. */
    static Path issue(PackagedLauncher eiedge, Path dir) throws IOException, InterruptedException {
        Path registrar = dir.resolve("registrar");
        Path identity = dir.resolve("identity");
        Path request = dir.resolve("device-request.pem");
        Path cert = dir.resolve("device-cert.pem");
        eiedge.ok(REGISTRAR_PASS, "registrar", "init", "--dir", registrar.toString());
        eiedge.ok(Map.of(), "identity", "keygen", "--no-passphrase", "--dir", identity.toString());
        eiedge.ok(Map.of(), "identity", "csr", "--dir", identity.toString(), "--id", BenchConfig.DEVICE,
                "--subnet", BenchConfig.SUBNET, "--role", "router", "--out", request.toString());
        eiedge.ok(REGISTRAR_PASS, "registrar", "sign", request.toString(), "--dir", registrar.toString(), "--out", cert.toString());
        eiedge.ok(Map.of(), "identity", "install", "--dir", identity.toString(), "--cert", cert.toString(),
                "--root", registrar.resolve("root-cert.pem").toString());
        return identity;
    }
}
