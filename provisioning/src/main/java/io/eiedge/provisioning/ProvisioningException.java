package io.eiedge.provisioning;

/**
 * A refusal: the input (a file, a request, a passphrase) was not acceptable, and nothing was
 * changed. The message names what was wrong and where; {@link #problem()} lets callers (the CLI's
 * exit codes, the runtime's logs) tell the kinds apart without parsing text.
 */
public final class ProvisioningException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Problem problem;

    public ProvisioningException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public ProvisioningException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
