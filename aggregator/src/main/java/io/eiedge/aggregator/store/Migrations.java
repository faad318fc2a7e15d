package io.eiedge.aggregator.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.tinylog.Logger;

/**
 * Versioned schema migrations, applied by the tool itself: {@code V<n>__<name>.sql} resources run
 * in order, each in its own transaction, and recorded in {@code schema_version}. Several
 * {@code ingest} instances may start at once: a transaction-level advisory lock lets one migrate
 * while the others wait and then find nothing to do. A database migrated by a newer eiedge (a
 * version this one does not know) is refused rather than written with an older idea of the schema.
 */
public final class Migrations {
    /** In order; append new ones, never edit an applied one. */
    static final List<String> SCRIPTS = List.of("V1__store.sql");
    private static final long LOCK = 0x6569656467654147L; // "eiedgeAG"

    private Migrations() {
    }

    /** The schema version this build writes. */
    public static int current() {
        return SCRIPTS.size();
    }

    /** Brings the database to {@link #current()}; returns the number of migrations applied. */
    public static int migrate(Connection c) throws SQLException, StoreException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int applied = 0;
            for (int v = 1; v <= SCRIPTS.size(); v++) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    s.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                            + " script text NOT NULL, applied timestamptz NOT NULL DEFAULT now())");
                }
                int have = version(c);
                if (have > SCRIPTS.size()) {
                    c.rollback();
                    throw new StoreException("the database is at schema version " + have + ", newer than this eiedge ("
                            + SCRIPTS.size() + "); use the eiedge that migrated it");
                }
                if (have >= v) {
                    c.commit();
                    continue;
                }
                String script = SCRIPTS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    s.execute(resource(script));
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version, script) VALUES (?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, script);
                    p.executeUpdate();
                }
                c.commit();
                applied++;
                Logger.info("store: schema migrated to version {} ({})", v, script);
            }
            return applied;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The version recorded in the database, 0 when it has no eiedge schema. */
    public static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
            r.next();
            if (!r.getBoolean(1)) return 0;
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** For readers ({@code report}): the schema must be exactly one this build knows. */
    public static void requireReadable(Connection c) throws SQLException, StoreException {
        int v = version(c);
        if (v == 0) throw new StoreException("no eiedge store in this database (eiedge ingest creates it)");
        if (v > SCRIPTS.size()) {
            throw new StoreException("the database is at schema version " + v + ", newer than this eiedge (" + SCRIPTS.size() + ")");
        }
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("migration " + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
