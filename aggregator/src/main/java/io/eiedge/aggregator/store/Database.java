package io.eiedge.aggregator.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the store is: {@code --db} as a PostgreSQL URI ({@code postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?…]},
 * as {@code psql} takes it) or a JDBC URL ({@code jdbc:postgresql://HOST:PORT/DB?user=…}). A password
 * can also come from {@code EIEDGE_DB_PASSWORD}, so it need not sit on a command line.
 */
public final class Database {
    public static final String PASSWORD_ENV = "EIEDGE_DB_PASSWORD";

    private final String jdbcUrl;
    private final Properties properties;
    private final String shown;

    private Database(String jdbcUrl, Properties properties, String shown) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.shown = shown;
    }

    /** Parses {@code --db}; IllegalArgumentException names what is wrong. */
    public static Database of(String url) {
        Properties p = new Properties();
        String env = System.getenv(PASSWORD_ENV);
        if (env != null) p.setProperty("password", env);
        p.setProperty("ApplicationName", "eiedge");
        if (url.startsWith("jdbc:postgresql:")) return new Database(url, p, url.replaceAll("password=[^&]*", "password=…"));
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("--db '" + url + "' must be postgresql://[USER@]HOST[:PORT]/DB or jdbc:postgresql://…");
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--db '" + url + "' is not a URI: " + e.getMessage());
        }
        if (u.getHost() == null || u.getPath() == null || u.getPath().length() < 2) {
            throw new IllegalArgumentException("--db '" + url + "' needs a host and a database name (postgresql://HOST/DB)");
        }
        String info = u.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            p.setProperty("user", decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) p.setProperty("password", decode(info.substring(colon + 1)));
        }
        String jdbc = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getRawPath()
                + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
        String shown = "postgresql://" + (info != null ? decode(info.split(":", 2)[0]) + "@" : "") + u.getHost()
                + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getRawPath();
        return new Database(jdbc, p, shown);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Without the password, for messages. */
    @Override
    public String toString() {
        return shown;
    }
}
