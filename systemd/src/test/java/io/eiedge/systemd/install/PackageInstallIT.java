package io.eiedge.systemd.install;

import io.eiedge.systemd.support.Cmd;
import io.eiedge.systemd.support.Deb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The package's whole life on this machine, as a technician lives it: install with dpkg, provision
 * the identity with the installed command, run the node from the installed paths as the eiedge user
 * against a real mosquitto on loopback, verify its chain and what an aggregator received, upgrade
 * (config, identity and data stay), remove (config and data stay), purge (all gone).
 *
 * <p>It installs for real (a chroot would need a Debian mirror snapshot that CI cannot fetch),
 * so it runs only as root on a machine without eiedge installed, and leaves it as it found it.
 */
class PackageInstallIT {
    private static final Path CONFIG = Path.of("/etc/eiedge/eiedge.yaml");
    private static final Path IDENTITY = Path.of("/etc/eiedge/identity");
    private static final Path DATA = Path.of("/var/lib/eiedge");
    private static final Path ENABLED = Path.of("/etc/systemd/system/multi-user.target.wants/eiedge.service");
    private static final String STUB_JAVA = "eiedge-test-java-runtime";

    @TempDir
    static Path tmp;
    private static boolean stubInstalled;
    private static final List<String> createdAccounts = new ArrayList<>();
    private static Process mosquitto;
    private static int port;

    @BeforeAll
    static void preconditions() throws Exception {
        assumeTrue(Cmd.isRoot(), "installs a package: needs root (CI runs as root)");
        for (String tool : List.of("dpkg", "dpkg-deb", "setpriv", "mosquitto", "mosquitto_sub", "getent")) {
            assumeTrue(Cmd.onPath(tool), "needs " + tool + " on the PATH");
        }
        assumeTrue(Cmd.run("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "eiedge").out().isBlank(),
                "eiedge is installed on this machine; not touching a real installation");
        assumeTrue(!Files.exists(Path.of("/etc/eiedge")) && !Files.exists(DATA), "/etc/eiedge or /var/lib/eiedge exists; not touching them");
        assumeTrue(hasJava21Runtime(), "needs a Java 21+ runtime under /usr/lib/jvm for the installed launcher");
        for (String account : List.of("eiedge", "gpio")) {
            if (Cmd.run("getent", "group", account).exit() != 0) {
                createdAccounts.add(account);
            }
        }
        // This machine's Java 21+ may not come from a Debian package (CI's Temurin is unpacked):
        // stand in for it with an empty package that provides the virtual runtime, so that dpkg
        // still checks the real Depends line.
        if (!Cmd.ok("dpkg-query", "-W", "-f=${Provides}\n").out().contains("java21-runtime-headless")) {
            Path stub = Files.createDirectories(tmp.resolve("stub/DEBIAN"));
            Files.writeString(stub.resolve("control"), "Package: " + STUB_JAVA + "\nVersion: 1\nArchitecture: all\n"
                    + "Maintainer: eiedge tests <tests@eiedge.io>\nProvides: java21-runtime-headless\n"
                    + "Description: test stand-in for the Java 21 runtime unpacked on this machine\n");
            Cmd.ok("dpkg-deb", "--root-owner-group", "-b", tmp.resolve("stub").toString(), tmp.resolve("stub.deb").toString());
            Cmd.ok("dpkg", "-i", tmp.resolve("stub.deb").toString());
            stubInstalled = true;
        }
        port = freePort();
        Path conf = tmp.resolve("mosquitto.conf");
        Files.writeString(conf, "user root\nlistener " + port + " 127.0.0.1\nallow_anonymous true\n");
        mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("mosquitto.log").toFile()).start();
    }

    @AfterAll
    static void leaveTheMachineAsItWas() throws Exception {
        if (mosquitto != null) {
            mosquitto.destroy();
        }
        if (!Cmd.run("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "eiedge").out().isBlank()) {
            Cmd.run("dpkg", "--purge", "eiedge");
        }
        if (stubInstalled) {
            Cmd.run("dpkg", "--purge", STUB_JAVA);
        }
        if (createdAccounts.contains("eiedge") && Cmd.run("getent", "passwd", "eiedge").exit() == 0) {
            Cmd.run("deluser", "--quiet", "eiedge");
        }
        for (String g : createdAccounts) {
            if (Cmd.run("getent", "group", g).exit() == 0) {
                Cmd.run("delgroup", "--quiet", g);
            }
        }
    }

    @Test
    void installProvisionRunVerifyUpgradeRemovePurge() throws Exception {
        install();
        Path registrarRoot = provisionIdentity();
        writeDemoConfig();
        long seqAfterFirstRun = runNodeAndWatchIt(registrarRoot);
        upgradeKeepsConfigIdentityAndData(seqAfterFirstRun, registrarRoot);
        removeKeepsConfigAndData();
        purgeRemovesEverything();
    }

    private void install() throws Exception {
        Cmd.Result r = Cmd.run(Duration.ofMinutes(2), Map.of("DEBIAN_FRONTEND", "noninteractive"), "dpkg", "-i", Deb.file().toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("ii ", Cmd.ok("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "eiedge").out());

        String groups = Cmd.ok("id", "-nG", "eiedge").out();
        assertTrue(groups.matches("(?s).*\\bgpio\\b.*") && groups.matches("(?s).*\\bdialout\\b.*"), "eiedge is in gpio and dialout: " + groups);
        assertTrue(Cmd.ok("getent", "passwd", "eiedge").out().strip().endsWith(":/var/lib/eiedge:/usr/sbin/nologin"));
        assertEquals("750 eiedge eiedge", stat(IDENTITY));
        assertEquals("750 eiedge eiedge", stat(DATA));
        assertEquals("644 root root", stat(CONFIG));
        assertTrue(Files.isSymbolicLink(ENABLED), "the service is enabled at install");
        assertEquals(Path.of("/lib/systemd/system/eiedge.service"), Files.readSymbolicLink(ENABLED));
        assertFalse(Files.exists(IDENTITY.resolve("device-cert.pem")), "no identity yet, so the unit's condition keeps it stopped");

        if (Cmd.onPath("systemd-analyze")) {
            Cmd.Result v = Cmd.run("systemd-analyze", "verify", "/lib/systemd/system/eiedge.service");
            assertEquals(0, v.exit(), v.toString());
            assertEquals("", v.all().strip(), "the installed unit verifies cleanly: " + v);
        }
    }

    /** keygen/csr/install on the device as root (files go to the eiedge-owned folder), signing at a registrar. */
    private Path provisionIdentity() throws Exception {
        Path reg = tmp.resolve("registrar");
        Map<String, String> registrarPass = Map.of("EIEDGE_PASSPHRASE", "registrar passphrase for the test");
        eiedge(registrarPass, "registrar", "init", "--dir", reg.toString());
        eiedge(Map.of(), "identity", "keygen", "--no-passphrase");
        eiedge(Map.of(), "identity", "csr", "--id", "lab-node", "--subnet", "lab", "--role", "router", "--out", tmp.resolve("req.pem").toString());
        eiedge(registrarPass, "registrar", "sign", tmp.resolve("req.pem").toString(), "--dir", reg.toString(),
                "--out", tmp.resolve("cert.pem").toString());
        Path root = reg.resolve("root-cert.pem");
        eiedge(Map.of(), "identity", "install", "--cert", tmp.resolve("cert.pem").toString(), "--root", root.toString());
        assertEquals("600 eiedge eiedge", stat(IDENTITY.resolve("device-key.pem")), "the key belongs to the service user alone");
        assertEquals("644 eiedge eiedge", stat(IDENTITY.resolve("device-cert.pem")));
        return root;
    }

    private void writeDemoConfig() throws Exception {
        Files.writeString(CONFIG, """
                # the test's node: one simulated meter, plain MQTT on loopback
                device:
                  id: lab-node
                  subnet: lab
                  role: router
                meters:
                  - id: pv
                    type: simulated
                    kind: pv
                    seed: 7
                    peak-power: 3kW
                    poll-interval: 500ms
                ledger:
                  data-dir: /var/lib/eiedge
                  block:
                    max-readings: 8
                    max-age: 2s
                mqtt:
                  broker: tcp://127.0.0.1:%d
                  insecure: true
                """.formatted(port));
        eiedge(Map.of(), "config", "check", "--config", CONFIG.toString());
    }

    /** Runs the installed node as the service user, with an aggregator watching; returns the chain's last seq. */
    private long runNodeAndWatchIt(Path registrarRoot) throws Exception {
        Path log = tmp.resolve("run.log");
        // setpriv execs in place, so the process we signal is the JVM the launcher execs, as under systemd
        Process node = new ProcessBuilder("setpriv", "--reuid=eiedge", "--regid=eiedge", "--init-groups",
                "/usr/bin/eiedge", "run", "--config", CONFIG.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String status = awaitStatus(s -> seq(s) >= 4 && s.contains("\"connected\":true"), Duration.ofSeconds(90), node, log);
            assertTrue(status.contains("\"device\":\"lab-node\""), status);

            // an aggregator on the broker verifies what the installed node publishes
            Cmd.Result watch = Cmd.run(Duration.ofSeconds(60), Map.of(), "/usr/bin/eiedge", "watch",
                    "--broker", "tcp://127.0.0.1:" + port, "--root", registrarRoot.toString(), "--insecure", "--check", "--seconds", "6");
            assertEquals(0, watch.exit(), watch + "\nnode log:\n" + Files.readString(log));
            Matcher m = Pattern.compile("watch: OK: 1 device, (\\d+) readings").matcher(watch.all());
            assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0, "the aggregator verified readings: " + watch);
        } finally {
            node.destroy(); // SIGTERM, as systemctl stop
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node stops on SIGTERM");
        }
        String stoppedLog = Files.readString(log);
        assertTrue(stoppedLog.contains("stopping lab-node"), stoppedLog);

        Cmd.Result verify = eiedge(Map.of(), "ledger", "verify", "--data", DATA.toString(), "--root", registrarRoot.toString());
        assertTrue(verify.out().contains("VERIFIED") && verify.out().contains("certificates checked against the registrar root"), verify.toString());
        Matcher m = Pattern.compile("next seq (\\d+), (\\d+) readings verified").matcher(verify.out());
        assertTrue(m.find(), verify.toString());
        assertTrue(Integer.parseInt(m.group(2)) >= 4, "readings were signed and verified: " + verify.out());
        assertFalse(Cmd.ok("find", DATA.toString(), "!", "-user", "eiedge").out().contains("/"),
                "everything in the data folder belongs to eiedge");
        return Long.parseLong(m.group(1)) - 1;
    }

    private void upgradeKeepsConfigIdentityAndData(long seq, Path registrarRoot) throws Exception {
        String config = Files.readString(CONFIG);
        String cert = Files.readString(IDENTITY.resolve("device-cert.pem"));
        // the same package with a higher version, as the next release would be
        Path tree = tmp.resolve("next");
        Cmd.ok("dpkg-deb", "-R", Deb.file().toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        String version = Cmd.ok("dpkg-deb", "-f", Deb.file().toString(), "Version").out().strip();
        Files.writeString(control, Files.readString(control).replace("Version: " + version, "Version: " + version + "+next1"));
        Cmd.ok("dpkg-deb", "--root-owner-group", "-b", tree.toString(), tmp.resolve("next.deb").toString());

        Cmd.Result r = Cmd.run(Duration.ofMinutes(2), Map.of("DEBIAN_FRONTEND", "noninteractive"), "dpkg", "-i", tmp.resolve("next.deb").toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(version + "+next1", Cmd.ok("dpkg-query", "-W", "-f=${Version}", "eiedge").out());
        assertEquals(config, Files.readString(CONFIG), "the technician's configuration survives an upgrade");
        assertEquals(cert, Files.readString(IDENTITY.resolve("device-cert.pem")), "the identity survives an upgrade");
        assertEquals("600 eiedge eiedge", stat(IDENTITY.resolve("device-key.pem")));
        assertTrue(Files.isSymbolicLink(ENABLED), "still enabled");
        Cmd.Result verify = eiedge(Map.of(), "ledger", "verify", "--data", DATA.toString(), "--root", registrarRoot.toString());
        assertTrue(verify.out().contains("next seq " + (seq + 1) + ",") && verify.out().contains("VERIFIED"),
                "the chain survives an upgrade: " + verify);
    }

    private void removeKeepsConfigAndData() throws Exception {
        Cmd.Result r = Cmd.run(Duration.ofMinutes(2), Map.of(), "dpkg", "--remove", "eiedge");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("rc ", Cmd.ok("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "eiedge").out());
        assertFalse(Files.exists(Path.of("/usr/bin/eiedge")));
        assertFalse(Files.exists(Path.of("/usr/share/eiedge")));
        assertTrue(Files.exists(CONFIG), "remove keeps the configuration");
        assertTrue(Files.exists(IDENTITY.resolve("device-key.pem")), "remove keeps the device key");
        assertTrue(Files.isDirectory(DATA.resolve("chain")), "remove keeps the chain");
    }

    private void purgeRemovesEverything() throws Exception {
        Cmd.Result r = Cmd.run(Duration.ofMinutes(2), Map.of(), "dpkg", "--purge", "eiedge");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Cmd.run("dpkg-query", "-W", "-f=${db:Status-Abbrev}", "eiedge").out().isBlank(), "dpkg forgot the package");
        for (Path gone : List.of(Path.of("/etc/eiedge"), DATA, Path.of("/var/log/eiedge"), ENABLED,
                Path.of("/lib/systemd/system/eiedge.service"))) {
            assertFalse(Files.exists(gone, java.nio.file.LinkOption.NOFOLLOW_LINKS), gone + " is gone after purge");
        }
    }

    private static Cmd.Result eiedge(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "/usr/bin/eiedge";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Cmd.Result r = Cmd.run(Duration.ofMinutes(1), env, cmd);
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    private static String awaitStatus(java.util.function.Predicate<String> ready, Duration limit, Process node, Path log)
            throws Exception {
        Path file = DATA.resolve("status.json");
        long end = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            assertTrue(node.isAlive(), "the node stopped early:\n" + Files.readString(log));
            if (Files.exists(file)) {
                last = Files.readString(file);
                if (ready.test(last)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the node did not get going within " + limit + "; status: " + last + "\nlog:\n" + Files.readString(log));
    }

    private static long seq(String status) {
        Matcher m = Pattern.compile("\"seq\":(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String stat(Path p) throws Exception {
        return Cmd.ok("stat", "-c", "%a %U %G", p.toString()).out().strip();
    }

    private static boolean hasJava21Runtime() throws IOException {
        try (var dirs = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path d : dirs.toList()) {
                Path release = d.resolve("release");
                if (Files.isReadable(release)) {
                    Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                    if (m.find() && Integer.parseInt(m.group(1)) >= 21) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
