package io.eiedge.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tools the bench drives (mosquitto, strace, python3 for the notify socket): found on the
 * PATH or in the sbin folders, or — when the bench runs as root on Debian — installed from
 * Debian on the spot, as scripts/test.sh does for the tests.
 */
final class DebianTools {
    private DebianTools() {
    }

    /** The binary, installing {@code debianPackage} first when it is missing and we may. */
    static Path require(String binary, String debianPackage) throws IOException, InterruptedException {
        Optional<Path> found = find(binary);
        if (found.isPresent()) {
            return found.get();
        }
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new IllegalStateException(binary + " is missing: apt-get install " + debianPackage + " (or run the bench as root)");
        }
        System.err.println("footprint: installing " + debianPackage + " for " + binary);
        if (aptGet("install", debianPackage) != 0 && (aptGet("update") != 0 || aptGet("install", debianPackage) != 0)) {
            throw new IllegalStateException("apt-get install " + debianPackage + " failed");
        }
        return find(binary).orElseThrow(() -> new IllegalStateException(debianPackage + " is installed but has no " + binary));
    }

    static Optional<Path> find(String binary) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, binary)).filter(Files::isExecutable).findFirst();
    }

    private static int aptGet(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-q", "-y", "--no-install-recommends"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return pb.start().waitFor();
    }
}
