package io.eiedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.runtime.cli.EiedgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eiedge config check} as a technician runs it: exit status and what is printed. */
class ConfigCheckCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private Run check(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EiedgeCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute("config", "check", "--config", file.toString());
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void aValidFileIsExplainedAndExitsZero() throws Exception {
        Path file = dir.resolve("eiedge.yaml");
        Files.writeString(file, ConfigErrorsTest.resource("/eiedge.example.yaml"));
        Run run = check(file);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("Device router-07 (router) in subnet campus-north"), run.out());
        assertTrue(run.out().contains("grid: every 1s, Modbus TCP 192.168.1.50:502 unit 1, profile sdm630"), run.out());
        assertTrue(run.out().contains("a block is sealed every 4096 readings or 5m, whichever comes first"), run.out());
        assertTrue(run.out().contains("reading bodies kept 30d"), run.out());
        assertTrue(run.out().contains("Upstream broker ssl://broker.example.net:8883 (TLS"), run.out());
        assertTrue(run.out().contains("exchange-01 at coaps://192.168.1.20:5684"), run.out());
        assertTrue(run.out().endsWith(file + ": OK" + System.lineSeparator()), run.out());
    }

    @Test
    void errorsArePrintedOnePerLineWithFileLineAndColumnAndExitNonZero() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, ConfigErrorsTest.resource("/config/broken/many-errors.yaml"));
        Run run = check(file);
        assertEquals(1, run.status());
        String[] lines = run.out().strip().split("\\R");
        assertEquals(8, lines.length, run.out());
        for (String line : lines) {
            assertTrue(line.matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: [a-z\\[\\]0-9.-]+: .+"), line);
        }
        assertTrue(run.err().contains("8 errors"), run.err());
    }

    @Test
    void aMissingFileIsNamed() {
        Run run = check(dir.resolve("nope.yaml"));
        assertEquals(1, run.status());
        assertEquals(dir.resolve("nope.yaml") + ": no such file", run.err().strip());
    }
}
