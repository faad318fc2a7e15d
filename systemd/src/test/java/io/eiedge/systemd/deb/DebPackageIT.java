package io.eiedge.systemd.deb;

import io.eiedge.systemd.support.Cmd;
import io.eiedge.systemd.support.Deb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb the build made, read with dpkg-deb and lintian as Debian would: control fields,
 * contents and modes, conffiles, maintainer scripts; then its launcher, unpacked, picking a Java
 * runtime and its JVM flags.
 */
class DebPackageIT {

    @TempDir
    static Path tmp;
    static Path unpacked;

    @BeforeAll
    static void unpack() throws Exception {
        assumeTrue(Cmd.onPath("dpkg-deb"), "needs dpkg-deb (Debian's dpkg)");
        unpacked = tmp.resolve("root");
        Cmd.ok("dpkg-deb", "-x", Deb.file().toString(), unpacked.toString());
        Cmd.ok("dpkg-deb", "-e", Deb.file().toString(), tmp.resolve("DEBIAN").toString());
    }

    private static String field(String name) throws Exception {
        return Cmd.ok("dpkg-deb", "-f", Deb.file().toString(), name).out().strip();
    }

    @Test
    void controlFieldsSayWhatTheDeviceNeeds() throws Exception {
        assertEquals("eiedge", field("Package"));
        assertEquals("all", field("Architecture"));
        assertTrue(field("Version").startsWith("0.1.0"), field("Version"));
        String depends = field("Depends");
        // a Java 21+ runtime: Debian's real packages first, then the virtual package every Java 21+ runtime provides
        assertTrue(depends.contains("openjdk-21-jre-headless | openjdk-25-jre-headless | java21-runtime-headless"), depends);
        assertTrue(depends.contains("adduser"), "the postinst creates the user with adduser: " + depends);
        assertTrue(Integer.parseInt(field("Installed-Size")) > 10_000, "the jars are in: " + field("Installed-Size") + " KiB");
        assertFalse(field("Maintainer").isBlank());
        assertFalse(field("Description").isBlank());
    }

    @Test
    void contentsAndModes() throws Exception {
        Map<String, String> entries = new HashMap<>();
        for (String line : Cmd.ok("dpkg-deb", "-c", Deb.file().toString()).out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            entries.put(f[f.length - 1].replaceFirst("^\\./", "/"), f[0] + " " + f[1]);
        }
        assertEquals("-rwxr-xr-x root/root", entries.get("/usr/bin/eiedge"));
        for (String f : List.of("/etc/eiedge/eiedge.yaml", "/etc/default/eiedge", "/lib/systemd/system/eiedge.service",
                "/usr/lib/sysusers.d/eiedge.conf", "/usr/lib/tmpfiles.d/eiedge.conf", "/usr/share/doc/eiedge/copyright",
                "/usr/share/doc/eiedge/changelog.gz", "/usr/share/doc/eiedge/technician-guide.md",
                "/usr/share/man/man1/eiedge.1.gz", "/usr/share/eiedge/eiedge.example.yaml")) {
            assertEquals("-rw-r--r-- root/root", entries.get(f), f);
        }
        assertTrue(entries.keySet().stream().anyMatch(p -> p.matches("/usr/share/eiedge/lib/edge-runtime-.*\\.jar")), "the runtime");
        assertFalse(entries.containsKey("/var/lib/eiedge/"), "data folders are made by the postinst with the eiedge owner");
        assertFalse(entries.keySet().stream().anyMatch(p -> p.startsWith("/etc/eiedge/identity")), "no identity ships");
        // the packaged unit and snippets are the ones in the repository
        assertEquals(Files.readString(Deb.moduleDir().resolve("eiedge.service")),
                Files.readString(unpacked.resolve("lib/systemd/system/eiedge.service")));
        assertEquals(Files.readString(Deb.moduleDir().resolve("../edge-runtime/src/main/resources/eiedge.example.yaml")),
                Files.readString(unpacked.resolve("etc/eiedge/eiedge.yaml")), "the example config becomes the conffile");
    }

    @Test
    void bouncyCastleShipsUnshadedWithItsSignature() throws Exception {
        Path lib = unpacked.resolve("usr/share/eiedge/lib");
        List<String> jars;
        try (var s = Files.list(lib)) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        Path bcprov = lib.resolve(jars.stream().filter(j -> j.startsWith("bcprov-")).findFirst().orElseThrow());
        try (JarFile jar = new JarFile(bcprov.toFile())) {
            assertTrue(jar.stream().anyMatch(e -> e.getName().matches("META-INF/[^/]+\\.SF")), "bcprov keeps its signature file");
        }
        for (String needed : List.of("bcpkix-", "picocli-", "tinylog-impl-", "light-ledger-", "provisioning-", "device-drivers-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " in " + jars);
        }
        assertFalse(jars.stream().anyMatch(j -> j.startsWith("junit")), "no test libraries: " + jars);
    }

    @Test
    void conffilesAndMaintainerScripts() throws Exception {
        Path control = tmp.resolve("DEBIAN");
        assertEquals(List.of("/etc/eiedge/eiedge.yaml", "/etc/default/eiedge"),
                Files.readAllLines(control.resolve("conffiles")).stream().filter(l -> !l.isBlank()).toList());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path p = control.resolve(script);
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), script);
            assertEquals(0, Cmd.run("sh", "-n", p.toString()).exit(), script + " is valid sh");
        }
        String postinst = Files.readString(control.resolve("postinst"));
        assertTrue(postinst.contains("adduser --quiet --system --group --home /var/lib/eiedge"), "creates the eiedge user");
        assertTrue(postinst.contains("install -d -o eiedge -g eiedge -m 0750 /etc/eiedge/identity"));
        assertTrue(postinst.contains("deb-systemd-helper enable 'eiedge.service'"), "enables the service");
        String postrm = Files.readString(control.resolve("postrm"));
        assertTrue(postrm.matches("(?s).*if \\[ \"\\$1\" = \"purge\" \\]; then.*rm -rf /etc/eiedge/identity /var/lib/eiedge.*"),
                "data goes only on purge");
    }

    @Test
    void lintianFindsNoErrors() throws Exception {
        assumeTrue(Cmd.onPath("lintian"), "needs lintian (apt-get install lintian)");
        Cmd.Result r = Cmd.run(Duration.ofMinutes(3), Map.of(), "lintian", "--tag-display-limit", "0", Deb.file().toString());
        String errors = r.out().lines().filter(l -> l.startsWith("E:")).collect(Collectors.joining("\n"));
        assertEquals("", errors, r.toString());
        assertTrue(r.exit() == 0 || errors.isEmpty(), r.toString());
        System.out.println("lintian:\n" + r.out());
    }

    private static Cmd.Result launcher(Map<String, String> env, String... args) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("EIEDGE_LIB", unpacked.resolve("usr/share/eiedge/lib").toString());
        String[] cmd = new String[args.length + 1];
        cmd[0] = unpacked.resolve("usr/bin/eiedge").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Cmd.run(Duration.ofMinutes(1), e, cmd);
    }

    /** A Java runtime folder as Debian lays them out, with a release file naming its version. */
    private static Path fakeRuntime(Path jvmDir, String name, String version) throws Exception {
        Path bin = Files.createDirectories(jvmDir.resolve(name).resolve("bin"));
        Files.writeString(jvmDir.resolve(name).resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"ran $0\" >&2\nexit 99\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    @Test
    void theLauncherRefusesJavaOlderThan21WithAClearMessage() throws Exception {
        Path jvm = Files.createDirectories(tmp.resolve("old-jvms"));
        fakeRuntime(jvm, "java-17-openjdk-arm64", "17.0.15");
        Path home = fakeRuntime(jvm, "java-11-openjdk-arm64", "11.0.2").getParent().getParent();
        Cmd.Result r = launcher(Map.of("EIEDGE_JVM_DIR", jvm.toString(), "JAVA_HOME", home.toString(), "PATH", toolsWithoutJava()),
                "--version");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("no Java 21 or newer found"), r.err());
        assertTrue(r.err().contains("java-17-openjdk-arm64/bin/java (Java 17)") && r.err().contains("(Java 11)"),
                "names what it found too old: " + r.err());
        assertTrue(r.err().contains("apt-get install openjdk-21-jre-headless"), r.err());
        assertFalse(r.err().contains("ran "), "an old runtime is never started: " + r.err());
    }

    @Test
    void theLauncherTakesTheNewestRuntimeAndSmallDeviceFlags() throws Exception {
        Path jvm = Files.createDirectories(tmp.resolve("jvms"));
        fakeRuntime(jvm, "java-17-openjdk-amd64", "17.0.15");
        Path real = realJava21Plus();
        Files.createSymbolicLink(jvm.resolve("real"), real.getParent().getParent());
        Cmd.Result r = launcher(Map.of("EIEDGE_JVM_DIR", jvm.toString(), "PATH", toolsWithoutJava(),
                "EIEDGE_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("eiedge "), r.toString());
        String flags = r.out();
        assertTrue(flags.contains("-XX:MaxHeapSize=67108864"), "64 MiB heap cap: " + flags);
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags);
        assertTrue(flags.contains("-XX:ThreadStackSize=512"), flags);
        assertTrue(flags.contains("-XX:TieredStopAtLevel=1"), "a one-shot command starts quickly: " + flags);

        Cmd.Result big = launcher(Map.of("EIEDGE_JVM_DIR", jvm.toString(), "PATH", toolsWithoutJava(), "EIEDGE_HEAP", "96m",
                "EIEDGE_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "run", "--help");
        assertEquals(0, big.exit(), big.toString());
        assertTrue(big.out().contains("-XX:MaxHeapSize=100663296"), "EIEDGE_HEAP overrides the cap: " + big.out());
        assertFalse(big.out().contains("TieredStopAtLevel"), "the daemon gets the full JIT: " + big.out());
    }

    /** A PATH with the tools the launcher uses and no java, so only the runtimes a test lays out are found. */
    static String toolsWithoutJava() throws Exception {
        Path bin = tmp.resolve("tools");
        if (!Files.isDirectory(bin)) {
            Files.createDirectories(bin);
            for (String tool : List.of("readlink", "dirname", "sed", "head")) {
                Path real = Path.of(Cmd.ok("sh", "-c", "command -v " + tool).out().strip());
                Files.createSymbolicLink(bin.resolve(tool), real);
            }
        }
        return bin.toString();
    }

    /** A real Java 21+ on this machine (the build's JDK qualifies). */
    static Path realJava21Plus() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(Runtime.version().feature() >= 21 && Files.isExecutable(java), "needs a Java 21+ runtime");
        return java;
    }
}
