package io.eiedge.aggregator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an instance trusted before, read back at start: the newest stored CRL, then every stored
 * certificate, as (topic, DER) pairs to verify again against the root — the store is not trusted
 * blindly, it only saves waiting for the retained messages.
 */
public final class StoredTrust {

    /** One stored object with the topic it would have come on. */
    public record Entry(String topic, byte[] der) {
    }

    private StoredTrust() {
    }

    public static List<Entry> load(Connection c, String prefix) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT der FROM crl ORDER BY number DESC LIMIT 1");
             ResultSet rs = p.executeQuery()) {
            if (rs.next()) out.add(new Entry(prefix + "/_/crl", rs.getBytes(1)));
        }
        try (PreparedStatement p = c.prepareStatement("SELECT subnet, device, der FROM certificate ORDER BY first_seen");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) out.add(new Entry(prefix + "/" + rs.getString(1) + "/" + rs.getString(2) + "/cert", rs.getBytes(3)));
        }
        return out;
    }
}
