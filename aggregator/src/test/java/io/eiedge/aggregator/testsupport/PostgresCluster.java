package io.eiedge.aggregator.testsupport;

import io.eiedge.runtime.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from Debian's package (initdb and pg_ctl of
 * {@code /usr/lib/postgresql/N/bin}) in a temp folder, on 127.0.0.1 and a free port, with trust
 * authentication for its one user. PostgreSQL refuses to run as root, so under root (CI) the
 * folder is handed to {@code nobody} and every command runs through {@code setpriv}.
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String USER = "eiedge";
    private static final String RUN_AS = "nobody";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean root;

    private PostgresCluster(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    /** Creates and starts a cluster in a new temp folder. */
    public static PostgresCluster start() throws IOException {
        Path dir = Files.createTempDirectory("eiedge-pg-");
        PostgresCluster pg = new PostgresCluster(dir, binDir(), FreePorts.tcp());
        pg.init();
        return pg;
    }

    static Path binDir() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> {
                            try {
                                return Integer.parseInt(v.getFileName().toString());
                            } catch (NumberFormatException e) {
                                return -1;
                            }
                        }));
                if (newest.isPresent()) return newest.get().resolve("bin");
            }
        }
        throw new IOException("no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql; scripts/test.sh does)");
    }

    private void init() throws IOException {
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal nobody = users.lookupPrincipalByName(RUN_AS);
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setOwner(nobody);
            GroupPrincipal group = users.lookupPrincipalByGroupName(RUN_AS.equals("nobody") ? "nogroup" : RUN_AS);
            Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(group);
        }
        run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-sync", "--locale=C");
        run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=50", "start");
    }

    public int port() {
        return port;
    }

    /** A new empty database; returns its URL as {@code --db} takes it. */
    public String createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + name;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER);
    }

    /** The server's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void run(String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (root) cmd.addAll(List.of("setpriv", "--reuid=" + RUN_AS, "--regid=nogroup", "--clear-groups", "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed:\n" + output + "\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
