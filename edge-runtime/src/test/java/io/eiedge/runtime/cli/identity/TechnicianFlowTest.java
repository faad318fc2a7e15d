package io.eiedge.runtime.cli.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole technician flow through the real command line, one step after the other:
 * keygen → csr → registrar sign → install → show → revoke → (CRL to the device) → show says revoked.
 */
class TechnicianFlowTest {

    @TempDir
    Path tmp;

    @Test
    void keygenCsrSignInstallShowRevokeShowRevoked() throws Exception {
        Path reg = tmp.resolve("registrar");
        Path dev = tmp.resolve("identity");
        Path pass = tmp.resolve("registrar.pass");
        Files.writeString(pass, "operator passphrase 1\n");
        String[] regOpts = {"--dir", reg.toString(), "--passphrase-file", pass.toString(), "--operator", "alice"};

        Cli.Run init = Cli.run(concat(new String[] {"registrar", "init", "--name", "Sub-3 market registrar"}, regOpts));
        assertEquals(0, init.exit(), init.toString());

        Cli.Run keygen = Cli.run("identity", "keygen", "--dir", dev.toString(), "--no-passphrase");
        assertEquals(0, keygen.exit(), keygen.toString());
        Matcher fp = Pattern.compile("Fingerprint: ((?:[0-9a-f]{4} ){7}[0-9a-f]{4})").matcher(keygen.out());
        assertTrue(fp.find(), keygen.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dev.resolve("device-key.pem"))));
        assertFalse(keygen.out().contains("PRIVATE KEY"), "keygen must never print the key");

        Path csr = tmp.resolve("router-07.csr");
        Cli.Run req = Cli.run("identity", "csr", "--dir", dev.toString(), "--id", "router-07", "--subnet", "sub-3",
                "--role", "router", "--out", csr.toString());
        assertEquals(0, req.exit(), req.toString());
        assertTrue(Files.readString(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        assertTrue(req.err().contains(fp.group(1)), "csr names the key it signed with: " + req);

        Path cert = tmp.resolve("router-07.pem");
        Cli.Run sign = Cli.run(concat(new String[] {"registrar", "sign", csr.toString(), "--out", cert.toString()}, regOpts));
        assertEquals(0, sign.exit(), sign.toString());
        assertTrue(sign.err().contains("urn:eiedge:sub-3:router:router-07"), sign.toString());

        Cli.Run install = Cli.run("identity", "install", "--dir", dev.toString(), "--cert", cert.toString(),
                "--root", reg.resolve("root-cert.pem").toString());
        assertEquals(0, install.exit(), install.toString());

        Cli.Run show = Cli.run("identity", "show", "--dir", dev.toString());
        assertEquals(0, show.exit(), show.toString());
        assertTrue(show.out().contains("Device:      router-07"), show.out());
        assertTrue(show.out().contains("Subnet:      sub-3"), show.out());
        assertTrue(show.out().contains("Role:        router"), show.out());
        assertTrue(show.out().contains("Fingerprint: " + fp.group(1)), show.out());
        assertTrue(show.out().contains("CN=Sub-3 market registrar"), show.out());
        assertTrue(show.out().matches("(?s).*\\((729|730) days left\\).*"), show.out());
        assertTrue(show.out().contains("State:       VALID"), show.out());

        Cli.Run list = Cli.run("registrar", "list", "--dir", reg.toString(), "--json");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().contains("\"id\":\"router-07\"") && list.out().contains("\"state\":\"live\"")
                && list.out().contains("\"issuedBy\":\"alice\""), list.out());

        Path crl = tmp.resolve("registrar.crl");
        Cli.Run revoke = Cli.run(concat(new String[] {"registrar", "revoke", "--id", "router-07", "--reason", "cessationOfOperation",
                "--out", crl.toString()}, regOpts));
        assertEquals(0, revoke.exit(), revoke.toString());

        Cli.Run crlInstall = Cli.run("identity", "install", "--dir", dev.toString(), "--crl", crl.toString());
        assertEquals(0, crlInstall.exit(), crlInstall.toString());

        Cli.Run revoked = Cli.run("identity", "show", "--dir", dev.toString());
        assertEquals(ExitCodes.REVOKED, revoked.exit(), revoked.toString());
        assertTrue(revoked.out().contains("State:       REVOKED"), revoked.out());
        assertTrue(revoked.out().contains("cessationOfOperation"), revoked.out());

        Cli.Run json = Cli.run("identity", "show", "--dir", dev.toString(), "--json");
        assertEquals(ExitCodes.REVOKED, json.exit(), json.toString());
        assertTrue(json.out().contains("\"state\":\"revoked\"") && json.out().contains("\"revoked\":true")
                && json.out().contains("\"id\":\"router-07\""), json.out());

        Cli.Run log = Cli.run("registrar", "log", "--dir", reg.toString());
        assertTrue(log.out().contains("alice INITIALISED") && log.out().contains("alice ISSUED router-07")
                && log.out().contains("alice REVOKED router-07") && log.out().contains("alice CRL_ISSUED"), log.out());
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
