package io.eiedge.runtime.watch;

import java.util.List;

/**
 * The watcher's judgement at the end of a run: clean when readings arrived and no problem that
 * fails a check was found.
 */
public record Verdict(int devices, long readingsVerified, long headersVerified, long blocksVerified, long duplicates,
                      List<Problem> problems) {

    public Verdict {
        problems = List.copyOf(problems);
    }

    public boolean nothingReceived() {
        return readingsVerified == 0 && problems.isEmpty();
    }

    public boolean clean() {
        return !nothingReceived() && problems.isEmpty();
    }

    /** One line for people. */
    public String headline() {
        if (nothingReceived()) return "FAILED: no reading was received, so nothing was verified";
        String counts = devices + (devices == 1 ? " device, " : " devices, ") + readingsVerified + " readings, "
                + headersVerified + " headers, " + blocksVerified + " blocks verified"
                + (duplicates > 0 ? ", " + duplicates + " re-delivered duplicates" : "");
        List<Problem> f = problems;
        return f.isEmpty() ? "OK: " + counts
                : "FAILED: " + f.size() + (f.size() == 1 ? " problem" : " problems") + " (" + counts + ")";
    }
}
