package io.eiedge.bench.footprint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian package's {@code /usr/bin/eiedge} (systemd/src/deb/bin/eiedge) run from the checkout
 * against the built jars: its JVM flags, Java lookup and {@code exec} are the package's own, so
 * the bench never copies them. The jars it would find in /usr/share/eiedge/lib are linked into
 * a folder of the run ({@code EIEDGE_LIB}): edge-runtime.jar and its runtime dependencies — the
 * same set the package stages. No EIEDGE_HEAP or EIEDGE_JAVA_OPTS: the package's defaults.
 */
final class PackagedLauncher {
    /** Environment that would change the JVM the launcher starts; cleared for the run. */
    private static final List<String> JVM_ENV = List.of("EIEDGE_HEAP", "EIEDGE_JAVA_OPTS", "MALLOC_ARENA_MAX",
            "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

    private final Path repo;
    private final Path launcher;
    private final Path lib;
    private final Path javaHome;

    private PackagedLauncher(Path repo, Path lib, Path javaHome) {
        this.repo = repo;
        this.launcher = repo.resolve("systemd/src/deb/bin/eiedge");
        this.lib = lib;
        this.javaHome = javaHome;
    }

    /** Links the built runtime into {@code runDir/lib}; fails with what to build when it is missing. */
    static PackagedLauncher prepare(Path repo, Path runDir, Path javaHome) throws IOException {
        Path jar = repo.resolve("edge-runtime/target/edge-runtime.jar");
        Path deps = repo.resolve("edge-runtime/target/lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(deps) || !Files.isExecutable(repo.resolve("systemd/src/deb/bin/eiedge"))) {
            throw new IllegalStateException("no built runtime under " + repo + " (edge-runtime/target/edge-runtime.jar and lib/, "
                    + "systemd/src/deb/bin/eiedge): run from the repository root through scripts/bench.sh, which builds it");
        }
        Path lib = Files.createDirectories(runDir.resolve("lib"));
        Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(deps, "*.jar")) {
            for (Path j : jars) {
                Files.createSymbolicLink(lib.resolve(j.getFileName()), j.toAbsolutePath());
            }
        }
        return new PackagedLauncher(repo, lib, javaHome);
    }

    Path launcher() {
        return launcher;
    }

    /** The unit's WatchdogSec in microseconds (systemd passes it as WATCHDOG_USEC). */
    long watchdogUsec() throws IOException {
        Matcher m = Pattern.compile("(?m)^WatchdogSec=([0-9]+)(s|min)?\\s*$").matcher(Files.readString(repo.resolve("systemd/eiedge.service")));
        if (!m.find()) {
            throw new IllegalStateException("no WatchdogSec= in systemd/eiedge.service");
        }
        long n = Long.parseLong(m.group(1));
        return ("min".equals(m.group(2)) ? n * 60 : n) * 1_000_000L;
    }

    /** A one-shot command (identity, registrar, config check): exit code and everything it printed. */
    record Result(int exit, String output) {
    }

    Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = builder(env, args).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("eiedge " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Like {@link #run} but fails, with the output, unless the command exits 0. */
    String ok(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Result r = run(env, args);
        if (r.exit() != 0) {
            throw new IllegalStateException("eiedge " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    /** {@code /usr/bin/eiedge ARGS} as the unit would start it, with the package's environment. */
    ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        JVM_ENV.forEach(pb.environment()::remove);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("EIEDGE_LIB", lib.toString());
        pb.environment().putAll(env);
        return pb;
    }
}
