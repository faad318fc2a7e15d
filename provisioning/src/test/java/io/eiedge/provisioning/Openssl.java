package io.eiedge.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real openssl command line. */
public final class Openssl {

    public record Result(int exit, String output) {
    }

    private Openssl() {
    }

    public static Result run(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run openssl (apt-get install openssl): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs and requires exit 0; returns the output. */
    public static String ok(Path cwd, String... args) {
        Result r = run(cwd, args);
        if (r.exit() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed (" + r.exit() + "):\n" + r.output());
        }
        return r.output();
    }
}
