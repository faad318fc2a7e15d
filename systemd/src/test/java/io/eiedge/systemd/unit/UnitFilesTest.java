package io.eiedge.systemd.unit;

import io.eiedge.systemd.support.Cmd;
import io.eiedge.systemd.support.Deb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The unit and the sysusers.d/tmpfiles.d snippets, checked with systemd's own tools (Debian
 * package systemd): they parse cleanly, the sandbox is what the issue asks for, and the snippets
 * create the user and folders the package's maintainer scripts create.
 */
class UnitFilesTest {
    /** The exposure systemd-analyze security gave when this was written; higher means a hardening line went missing. */
    private static final double MAX_EXPOSURE = 1.7;

    @TempDir
    Path tmp;

    private static Path unit() {
        return Deb.moduleDir().resolve("eiedge.service");
    }

    /** The unit's settings as systemd reads them: key → every value, in order (repeatable keys kept). */
    private static Map<String, List<String>> settings() throws IOException {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(unit())) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("[")) {
                continue;
            }
            int eq = l.indexOf('=');
            m.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
        }
        return m;
    }

    /** A throwaway root holding the host's standard targets, the unit and an executable at ExecStart's path. */
    private Path rootWith(Path unitFile) throws IOException {
        Path sys = Files.createDirectories(tmp.resolve("root/lib/systemd/system"));
        try (var host = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path p : host.filter(p -> p.getFileName().toString().matches(".*\\.(target|slice|socket)")).toList()) {
                Files.copy(p, sys.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
        Files.copy(unitFile, sys.resolve("eiedge.service"), StandardCopyOption.REPLACE_EXISTING);
        Path bin = Files.createDirectories(tmp.resolve("root/usr/bin")).resolve("eiedge");
        Files.copy(Deb.moduleDir().resolve("src/deb/bin/eiedge"), bin, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp.resolve("root");
    }

    private static void needSystemdTools() {
        assumeTrue(Cmd.onPath("systemd-analyze") && Files.isDirectory(Path.of("/lib/systemd/system")),
                "needs systemd-analyze (apt-get install systemd)");
    }

    @Test
    void systemdAnalyzeVerifyFindsNothingToSay() throws Exception {
        needSystemdTools();
        Path root = rootWith(unit());
        Cmd.Result r = Cmd.run(Duration.ofMinutes(1), Map.of(), "systemd-analyze", "verify", "--root=" + root, "eiedge.service");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.all().strip(), "systemd-analyze verify reports every doubtful line; it must say nothing: " + r);
    }

    @Test
    void systemdAnalyzeVerifyWouldCatchATypo() throws Exception {
        needSystemdTools();
        Path broken = tmp.resolve("broken.service");
        Files.writeString(broken, Files.readString(unit()).replace("Type=notify", "Type=notfy"));
        Path root = rootWith(broken);
        Cmd.Result r = Cmd.run(Duration.ofMinutes(1), Map.of(), "systemd-analyze", "verify", "--root=" + root, "eiedge.service");
        assertTrue(r.all().contains("notfy"), "the check above relies on verify naming a bad line: " + r);
    }

    @Test
    void theServiceIsANotifyDaemonWithWatchdogAndRestart() throws Exception {
        Map<String, List<String>> s = settings();
        assertEquals(List.of("notify"), s.get("Type"));
        assertEquals(List.of("all"), s.get("NotifyAccess"), "the runtime notifies through systemd-notify, a child process");
        assertTrue(s.containsKey("WatchdogSec"), "a stuck cycle must get the service restarted");
        assertEquals(List.of("on-failure"), s.get("Restart"));
        assertEquals(List.of("/usr/bin/eiedge run --config /etc/eiedge/eiedge.yaml"), s.get("ExecStart"));
        assertEquals(List.of("eiedge"), s.get("User"));
        assertEquals(List.of("gpio dialout"), s.get("SupplementaryGroups"));
        assertEquals(List.of("/etc/eiedge/identity/device-cert.pem"), s.get("ConditionPathExists"),
                "enabled at install, started only once an identity is installed");
        assertEquals(List.of("multi-user.target"), s.get("WantedBy"));
    }

    @Test
    void theSandboxIsTheOneTheIssueAsksFor() throws Exception {
        Map<String, List<String>> s = settings();
        assertEquals(List.of("strict"), s.get("ProtectSystem"));
        assertEquals(List.of("/var/lib/eiedge"), s.get("ReadWritePaths"));
        for (String yes : List.of("NoNewPrivileges", "PrivateTmp", "ProtectHome", "ProtectKernelTunables", "ProtectKernelModules",
                "ProtectControlGroups", "RestrictSUIDSGID", "RestrictNamespaces", "LockPersonality")) {
            assertEquals(List.of("yes"), s.get(yes), yes);
        }
        assertEquals(List.of("AF_UNIX AF_INET AF_INET6"), s.get("RestrictAddressFamilies"));
        assertEquals(List.of(""), s.get("CapabilityBoundingSet"), "an empty capability bounding set");
        assertEquals(List.of("closed"), s.get("DevicePolicy"), "devices: GPIO and serial only");
        assertEquals(List.of("char-gpiochip rw", "char-ttyS rw", "char-ttyAMA rw", "char-ttyUSB rw", "char-ttyACM rw"),
                s.get("DeviceAllow"));
    }

    @Test
    void exposureIsAsLowAsTheJvmAllows() throws Exception {
        needSystemdTools();
        Cmd.Result r = Cmd.run(Duration.ofMinutes(1), Map.of(), "systemd-analyze", "security", "--offline=true", unit().toString());
        Matcher m = Pattern.compile("Overall exposure level for eiedge\\.service: (\\d+\\.\\d+)").matcher(r.all());
        assertTrue(m.find(), r.toString());
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security eiedge.service: exposure " + exposure);
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + " > " + MAX_EXPOSURE + ":\n" + r.out());
    }

    @Test
    void sysusersCreatesTheServiceUserInItsGroups() throws Exception {
        assumeTrue(Cmd.onPath("systemd-sysusers"), "needs systemd-sysusers (apt-get install systemd)");
        Path root = Files.createDirectories(tmp.resolve("img/etc"));
        // an image's stock accounts, without gpio and without eiedge
        Files.writeString(root.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(root.resolve("group"), "root:x:0:\ndialout:x:20:\n");
        Files.writeString(root.resolve("shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("gshadow"), "root:*::\ndialout:*::\n");
        Cmd.Result r = Cmd.run(Duration.ofMinutes(1), Map.of(), "systemd-sysusers", "--root=" + tmp.resolve("img"),
                Deb.moduleDir().resolve("eiedge.sysusers").toString());
        assertEquals(0, r.exit(), r.toString());

        String passwd = Files.readString(root.resolve("passwd"));
        Matcher u = Pattern.compile("(?m)^eiedge:x:(\\d+):(\\d+):[^:]*:/var/lib/eiedge:/usr/sbin/nologin$").matcher(passwd);
        assertTrue(u.find(), passwd);
        assertTrue(Integer.parseInt(u.group(1)) < 1000, "a system user");
        List<String> groups = Files.readAllLines(root.resolve("group"));
        assertTrue(groups.contains("dialout:x:20:eiedge"), groups.toString());
        assertTrue(groups.stream().anyMatch(g -> g.matches("gpio:x:\\d+:eiedge")), "gpio is created and eiedge is in it: " + groups);
        assertTrue(groups.stream().anyMatch(g -> g.equals("eiedge:x:" + u.group(2) + ":")), groups.toString());
    }

    @Test
    void tmpfilesCreatesTheFoldersWithTheirOwnersAndModes() throws Exception {
        assumeTrue(Cmd.onPath("systemd-tmpfiles") && Cmd.isRoot(), "needs systemd-tmpfiles and root (to hand folders to eiedge)");
        Path img = tmp.resolve("img");
        Files.createDirectories(img.resolve("etc"));
        Files.writeString(img.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\neiedge:x:989:989::/var/lib/eiedge:/usr/sbin/nologin\n");
        Files.writeString(img.resolve("etc/group"), "root:x:0:\neiedge:x:989:\n");
        Cmd.Result r = Cmd.run(Duration.ofMinutes(1), Map.of(), "systemd-tmpfiles", "--root=" + img, "--create",
                Deb.moduleDir().resolve("eiedge.tmpfiles").toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("755 0 0", stat(img.resolve("etc/eiedge")));
        assertEquals("750 989 989", stat(img.resolve("etc/eiedge/identity")));
        assertEquals("750 989 989", stat(img.resolve("var/lib/eiedge")));
        assertEquals("750 989 989", stat(img.resolve("var/log/eiedge")));
        assertNotEquals("750 989 989", stat(img.resolve("etc")), "nothing else is touched");
    }

    private static String stat(Path p) throws Exception {
        return Cmd.ok("stat", "-c", "%a %u %g", p.toString()).out().strip();
    }
}
