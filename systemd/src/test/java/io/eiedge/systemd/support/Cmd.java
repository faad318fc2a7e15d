package io.eiedge.systemd.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program (dpkg, lintian, systemd-analyze, the installed launcher...) and keeps what it said. */
public final class Cmd {

    /** What a finished program did. */
    public record Result(List<String> command, int exit, String out, String err) {
        public String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cmd() {
    }

    public static Result run(Duration limit, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cmd", ".out");
        Path err = Files.createTempFile("cmd", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(List.of(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofMinutes(2), Map.of(), command);
    }

    /** Runs and fails the test with everything the program said when it does not exit 0. */
    public static Result ok(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.exit() != 0) {
            throw new AssertionError("expected exit 0: " + r);
        }
        return r;
    }

    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
