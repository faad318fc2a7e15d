package io.eiedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinylog.Logger;

/** The rolling log file, in a fresh JVM (tinylog's configuration can be set once per process). */
class LoggingSetupTest {
    @TempDir
    Path dir;

    /** Child process: configure from args and log a lot. */
    public static void main(String[] args) {
        LoggingSetup.apply(new LoggingConfig(LoggingConfig.Level.INFO, Optional.of(Path.of(args[0])),
                Long.parseLong(args[1]), Integer.parseInt(args[2])));
        for (int i = 0; i < 3000; i++) {
            Logger.info("meter grid read {} of 3000, power 1234 W", i);
        }
        Logger.debug("below the configured level");
    }

    @Test
    void theLogFileRollsBySizeAndKeepsOnlyTheConfiguredNumberOfFiles() throws Exception {
        Path log = dir.resolve("eiedge.log");
        for (int run = 0; run < 2; run++) { // a restart must not grow the set either
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LoggingSetupTest.class.getName(),
                    log.toString(), "16384", "2")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.out")));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("eiedge")).sorted().toList();
        }
        assertTrue(Files.exists(log), "the configured file is the newest log: " + files);
        // the newest plus at most 'keep' backups
        assertTrue(files.size() >= 2 && files.size() <= 3 + 1, files.toString());
        for (Path f : files) {
            assertTrue(Files.size(f) <= 16384 + 200, f + " is " + Files.size(f) + " bytes");
        }
        String newest = Files.readString(log);
        assertTrue(newest.contains("read 2999 of 3000"), "the last line is in the newest file");
        assertTrue(!newest.contains("below the configured level"));
        // stderr keeps getting everything too (the journal under systemd)
        assertTrue(Files.readString(dir.resolve("child.out")).contains("read 2999 of 3000"));
    }

    @Test
    void withoutAFileOnlyStderrIsConfigured() throws IOException {
        var p = LoggingSetup.properties(LoggingConfig.defaults());
        assertEquals("console", p.get("writer1"));
        assertEquals("err", p.get("writer1.stream"));
        assertTrue(p.keySet().stream().noneMatch(k -> k.startsWith("writer2")));
    }
}
