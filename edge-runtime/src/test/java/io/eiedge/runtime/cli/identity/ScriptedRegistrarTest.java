package io.eiedge.runtime.cli.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Non-interactive use as a script sees it: a separate {@code eiedge} process, the passphrase in
 * EIEDGE_PASSPHRASE, no terminal, and the documented exit codes.
 */
class ScriptedRegistrarTest {

    @TempDir
    Path tmp;

    record Proc(int exit, String out, String err) {
    }

    private Proc eiedge(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.eiedge.runtime.cli.EiedgeCli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("EIEDGE_PASSPHRASE");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "eiedge " + String.join(" ", args) + " did not finish");
        return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void passphraseFromTheEnvironmentAndExitCodesScriptsRelyOn() throws Exception {
        String reg = tmp.resolve("reg").toString();
        String dev = tmp.resolve("dev").toString();
        Map<String, String> good = Map.of("EIEDGE_PASSPHRASE", "scripted approval 42");
        Path passFile = tmp.resolve("pass");
        Files.writeString(passFile, "scripted approval 42\n");

        // separate processes, no terminal: only the environment can give the passphrase
        assertEquals(ExitCodes.PASSPHRASE, eiedge(Map.of(), "registrar", "init", "--dir", reg).exit(), "no terminal, no passphrase");
        assertEquals(0, eiedge(good, "registrar", "init", "--dir", reg).exit());

        // in this JVM (quicker): the device side and the rest of the exit codes
        assertEquals(ExitCodes.EXISTS, Cli.run("registrar", "init", "--dir", reg, "--passphrase-file", passFile.toString()).exit(),
                "a second root is refused");
        assertEquals(ExitCodes.NOT_FOUND, Cli.run("identity", "show", "--dir", dev).exit());
        assertEquals(0, Cli.run("identity", "keygen", "--dir", dev, "--no-passphrase").exit());
        Cli.Run csr = Cli.run("identity", "csr", "--dir", dev, "--id", "exchange-2", "--subnet", "sub-9", "--role", "exchange");
        assertEquals(0, csr.exit(), csr.err());
        assertTrue(csr.out().startsWith("-----BEGIN CERTIFICATE REQUEST-----"), "the request alone on stdout: " + csr.out());
        Path csrFile = tmp.resolve("x.csr");
        Files.writeString(csrFile, csr.out());

        Proc wrong = eiedge(Map.of("EIEDGE_PASSPHRASE", "guess"), "registrar", "sign", csrFile.toString(), "--dir", reg);
        assertEquals(ExitCodes.PASSPHRASE, wrong.exit(), wrong.err());
        assertTrue(wrong.err().contains("wrong passphrase"), wrong.err());
        assertFalse(wrong.err().contains("guess") || wrong.out().contains("guess"), "a passphrase is never printed");
        Proc signed = eiedge(good, "registrar", "sign", csrFile.toString(), "--dir", reg);
        assertEquals(0, signed.exit(), signed.err());
        assertTrue(signed.out().startsWith("-----BEGIN CERTIFICATE-----"), "the certificate alone on stdout: " + signed.out());

        String[] pf = {"--dir", reg, "--passphrase-file", passFile.toString()};
        assertEquals(ExitCodes.EXISTS, Cli.run(TechnicianFlowTest.concat(new String[] {"registrar", "sign", csrFile.toString()}, pf)).exit());
        assertEquals(0, Cli.run(TechnicianFlowTest.concat(new String[] {"registrar", "sign", csrFile.toString(), "--renew"}, pf)).exit());
        assertEquals(ExitCodes.USAGE, Cli.run(TechnicianFlowTest.concat(new String[] {"registrar", "revoke", "--id", "exchange-2"}, pf)).exit());
        assertEquals(ExitCodes.REFUSED, Cli.run(TechnicianFlowTest.concat(
                new String[] {"registrar", "revoke", "--id", "exchange-2", "--reason", "whim"}, pf)).exit());
        assertEquals(ExitCodes.NOT_FOUND, Cli.run(TechnicianFlowTest.concat(
                new String[] {"registrar", "revoke", "--id", "ghost", "--reason", "keyCompromise"}, pf)).exit());
        assertEquals(0, Cli.run(TechnicianFlowTest.concat(
                new String[] {"registrar", "revoke", "--id", "exchange-2", "--reason", "superseded"}, pf)).exit());
        assertEquals(ExitCodes.REVOKED, Cli.run(TechnicianFlowTest.concat(
                new String[] {"registrar", "revoke", "--id", "exchange-2", "--reason", "superseded"}, pf)).exit());
        Cli.Run list = Cli.run("registrar", "list", "--dir", reg);
        assertEquals(0, list.exit());
        assertEquals(2, list.out().lines().filter(l -> l.startsWith("exchange-2") && l.contains("revoked")).count(), list.out());
    }
}
