package io.eiedge.systemd.support;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the build put the package and the unit files (system properties set by the pom). */
public final class Deb {
    private Deb() {
    }

    public static Path file() {
        Path deb = Path.of(System.getProperty("eiedge.deb", "target/eiedge_0.1.0-SNAPSHOT_all.deb"));
        assertTrue(Files.isRegularFile(deb), deb + " is missing: the package tests run after 'mvn package'");
        return deb;
    }

    public static Path moduleDir() {
        return Path.of("").toAbsolutePath();
    }
}
