package io.eiedge.runtime.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the {@code logging} section into tinylog's configuration: stderr always (the journal under
 * systemd), plus a size-rolled file when {@code logging.file} is set, so an SD card never fills up
 * ({@code keep} old files of at most {@code rolling-size} each). Must run before the first log call:
 * tinylog freezes its configuration then.
 */
public final class LoggingSetup {

    private static final String FORMAT = "{date: yyyy-MM-dd HH:mm:ss.SSS} {level} [{thread}] {class-name}: {message}";

    private LoggingSetup() {
    }

    /** The tinylog properties for {@code logging}. */
    public static Map<String, String> properties(LoggingConfig logging) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("level", logging.level().configName());
        p.put("level@org.eclipse", "warn");
        p.put("writer1", "console");
        p.put("writer1.stream", "err");
        p.put("writer1.format", FORMAT);
        logging.file().ifPresent(file -> {
            p.put("writer2", "rolling file");
            p.put("writer2.file", numbered(file));
            p.put("writer2.latest", file.toString());
            p.put("writer2.policies", "startup, size: " + logging.rollingSize() + " bytes");
            p.put("writer2.backups", Integer.toString(logging.keep()));
            p.put("writer2.format", FORMAT);
            p.put("writer2.charset", "UTF-8");
        });
        return p;
    }

    /**
     * Applies {@link #properties} to tinylog.
     *
     * @throws IllegalStateException when something has already logged (tinylog's configuration is frozen)
     */
    public static void apply(LoggingConfig logging) {
        if (org.tinylog.configuration.Configuration.isFrozen()) {
            throw new IllegalStateException("logging is already in use; configure it before the first log call");
        }
        org.tinylog.configuration.Configuration.replace(properties(logging));
    }

    /** {@code /var/log/eiedge/eiedge.log} rolls into {@code eiedge.{count}.log} beside it. */
    private static String numbered(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + ".{count}" + name.substring(dot) : name + ".{count}";
        return file.resolveSibling(numbered).toString();
    }
}
