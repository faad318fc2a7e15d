package io.eiedge.runtime.cli.identity;

import io.eiedge.provisioning.ProvisioningException;
import org.tinylog.configuration.Configuration;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/**
 * Runs a provisioning command: refusals become one line on stderr and their exit code; stdout
 * stays for the command's answer (a PEM may be piped into a file). Shared by the identity and
 * registrar commands.
 */
public final class CliSupport {

    /** A command body. */
    @FunctionalInterface
    public interface Body {
        int run(PrintWriter out, PrintWriter err) throws ProvisioningException;
    }

    private CliSupport() {
    }

    public static int run(CommandSpec spec, Body body) {
        logToStderr();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return body.run(out, err);
        } catch (ProvisioningException e) {
            err.println("eiedge " + spec.qualifiedName(" ").replaceFirst("^eiedge ", "") + ": " + e.getMessage());
            return ExitCodes.of(e.problem());
        } catch (RuntimeException e) {
            err.println("eiedge " + spec.qualifiedName(" ").replaceFirst("^eiedge ", "") + ": internal error: " + e);
            return ExitCodes.INTERNAL;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Log lines are diagnostics: when nothing configured tinylog (no tinylog.properties), send them
     * to stderr at info level, so a CSR or certificate printed on stdout stays clean.
     */
    private static void logToStderr() {
        try {
            if (!Configuration.isFrozen() && Configuration.get("writer") == null) {
                Configuration.set("writer", "console");
                Configuration.set("writer.stream", "err");
                Configuration.set("writer.level", "info");
                Configuration.set("writer.format", "{level}: {message}");
            }
        } catch (UnsupportedOperationException e) {
            // configured already; leave it as it is
        }
    }
}
