package io.eiedge.aggregator.store;

import io.eiedge.aggregator.ingest.Item;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.runtime.json.Json;
import io.eiedge.runtime.watch.Problem.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509CRLEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes one batch of verified items in one transaction; the caller acknowledges the batch's
 * messages only after {@link #write} returned. {@code (device, certificate, seq)} and
 * {@code (device, certificate, height)} are primary keys: a row that is already there with the
 * same bytes is a re-delivery and adds nothing; one with other bytes is recorded as an
 * {@code equivocation} verdict holding both COSE objects. Whichever instance inserts second sees
 * the first's committed row (the insert waits for it), so a conflict is caught wherever it lands.
 */
public final class BatchWriter {

    /** What one batch changed. */
    public record Result(int readings, int headers, int duplicates, int conflicts, int verdicts, int certificates) {
    }

    private record Key(String device, Hash32 cert, long number) {
    }

    private BatchWriter() {
    }

    public static Result write(Connection c, List<Item> items) throws SQLException {
        List<Item.Certificate> certs = new ArrayList<>();
        List<Item.Crl> crls = new ArrayList<>();
        Map<Key, Item.Reading> readings = new LinkedHashMap<>();
        Map<Key, Item.Header> headers = new LinkedHashMap<>();
        List<Item.Verdict> verdicts = new ArrayList<>();
        List<Item.Alert> alerts = new ArrayList<>();
        List<Item.Balance> balances = new ArrayList<>();
        int duplicates = 0;
        for (Item i : items) {
            switch (i) {
                case Item.Certificate x -> certs.add(x);
                case Item.Crl x -> crls.add(x);
                case Item.Reading x -> {
                    Item.Reading before = readings.putIfAbsent(new Key(x.device(), x.certHash(), x.reading().seq()), x);
                    if (before != null) {
                        if (before.digest().equals(x.digest())) duplicates++;
                        else verdicts.add(readingConflict(x, before.reading().cose().encoded()));
                    }
                }
                case Item.Header x -> {
                    SignedHeader h = x.header();
                    Item.Header before = headers.putIfAbsent(new Key(h.deviceId(), h.header().certHash(), h.height()), x);
                    if (before != null) {
                        if (before.header().hash().equals(h.hash())) duplicates++;
                        else verdicts.add(headerConflict(x, before.header().cose().encoded()));
                    }
                }
                case Item.Verdict x -> verdicts.add(x);
                case Item.Alert x -> alerts.add(x);
                case Item.Balance x -> balances.add(x);
                case Item.Ignored x -> { }
                case Item.AwaitCertificate x -> { }
            }
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int newCerts = certificates(c, certs);
            crls(c, crls);
            int[] r = readings(c, new ArrayList<>(readings.values()), verdicts);
            int[] h = headers(c, new ArrayList<>(headers.values()), verdicts);
            alerts(c, alerts, verdicts);
            balances(c, balances);
            int conflicts = (int) verdicts.stream().filter(v -> v.kind() == Kind.EQUIVOCATION).count();
            int newVerdicts = verdicts(c, verdicts);
            c.commit();
            return new Result(r[0], h[0], duplicates + r[1] + h[1], conflicts, newVerdicts, newCerts);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static int certificates(Connection c, List<Item.Certificate> certs) throws SQLException {
        if (certs.isEmpty()) return 0;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO certificate (cert_hash, kid, device, subnet, role, serial,"
                + " not_after, der) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Item.Certificate x : certs) {
                p.setBytes(1, x.device().certificateHash().bytes());
                p.setBytes(2, x.device().key().kid().bytes());
                p.setString(3, x.device().deviceId());
                p.setString(4, x.device().subnet());
                p.setString(5, x.device().role());
                p.setString(6, x.serialHex());
                p.setTimestamp(7, Timestamp.from(x.notAfter()));
                p.setBytes(8, x.device().certificateDer());
                p.addBatch();
            }
            return Arrays.stream(p.executeBatch()).map(n -> n > 0 ? 1 : 0).sum();
        }
    }

    private static void crls(Connection c, List<Item.Crl> crls) throws SQLException {
        for (Item.Crl x : crls) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO crl (number, this_update, der) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                p.setBigDecimal(1, new BigDecimal(x.number()));
                p.setTimestamp(2, new Timestamp(x.crl().getThisUpdate().getTime()));
                p.setBytes(3, x.der());
                p.executeUpdate();
            }
            if (x.crl().getRevokedCertificates() == null) continue;
            try (PreparedStatement p = c.prepareStatement("UPDATE certificate SET revoked_by = ? WHERE serial = ? AND revoked_by IS NULL")) {
                for (X509CRLEntry e : x.crl().getRevokedCertificates()) {
                    p.setBigDecimal(1, new BigDecimal(x.number()));
                    p.setString(2, e.getSerialNumber().toString(16));
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
    }

    /** Returns {inserted, duplicates}; conflicts are added to {@code verdicts}. */
    private static int[] readings(Connection c, List<Item.Reading> rows, List<Item.Verdict> verdicts) throws SQLException {
        if (rows.isEmpty()) return new int[] {0, 0};
        int[] counts;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO reading (device, cert_hash, seq, subnet, meter, time_ms, clock,"
                + " quality, vals, digest, cose) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Item.Reading x : rows) {
                var r = x.reading().reading();
                p.setString(1, r.deviceId());
                p.setBytes(2, x.certHash().bytes());
                p.setLong(3, r.seq());
                p.setString(4, x.subnet());
                p.setString(5, r.meterId());
                p.setLong(6, r.timeMs());
                p.setShort(7, (short) r.clock().ordinal());
                p.setInt(8, r.quality());
                p.setString(9, valuesJson(r.values()));
                p.setBytes(10, x.digest().bytes());
                p.setBytes(11, x.reading().cose().encoded());
                p.addBatch();
            }
            counts = p.executeBatch();
        }
        int inserted = 0;
        int duplicates = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT digest, cose FROM reading WHERE device = ? AND cert_hash = ? AND seq = ?")) {
            for (int i = 0; i < rows.size(); i++) {
                if (counts[i] > 0) {
                    inserted++;
                    continue;
                }
                Item.Reading x = rows.get(i);
                q.setString(1, x.device());
                q.setBytes(2, x.certHash().bytes());
                q.setLong(3, x.reading().seq());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (Arrays.equals(rs.getBytes(1), x.digest().bytes())) duplicates++;
                    else verdicts.add(readingConflict(x, rs.getBytes(2)));
                }
            }
        }
        return new int[] {inserted, duplicates};
    }

    private static int[] headers(Connection c, List<Item.Header> rows, List<Item.Verdict> verdicts) throws SQLException {
        if (rows.isEmpty()) return new int[] {0, 0};
        int[] counts;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO header (device, cert_hash, height, subnet, hash, prev_hash,"
                + " merkle_root, first_seq, count, sealed_ms, summary, witnesses, loss_count, loss_reason, cose, merkle, link)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Item.Header x : rows) {
                SignedHeader sh = x.header();
                var h = sh.header();
                p.setString(1, h.deviceId());
                p.setBytes(2, h.certHash().bytes());
                p.setLong(3, h.height());
                p.setString(4, x.subnet());
                p.setBytes(5, sh.hash().bytes());
                p.setBytes(6, h.prevHash().bytes());
                p.setBytes(7, h.merkleRoot().bytes());
                p.setLong(8, h.firstSeq());
                p.setLong(9, h.count());
                p.setLong(10, h.sealedAtMs());
                p.setString(11, valuesJson(h.summary()));
                p.setString(12, witnessesJson(h.witnesses()));
                p.setLong(13, x.lossCount());
                if (x.lossReason() < 0) p.setNull(14, java.sql.Types.INTEGER);
                else p.setInt(14, x.lossReason());
                p.setBytes(15, sh.cose().encoded());
                p.setString(16, h.count() == 0 ? emptyBlock(sh) : "pending");
                p.setString(17, h.height() == 0 ? genesis(sh) : "pending");
                p.addBatch();
            }
            counts = p.executeBatch();
        }
        int inserted = 0;
        int duplicates = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT hash, cose FROM header WHERE device = ? AND cert_hash = ? AND height = ?")) {
            for (int i = 0; i < rows.size(); i++) {
                Item.Header x = rows.get(i);
                var h = x.header().header();
                if (counts[i] > 0) {
                    inserted++;
                    if (h.count() == 0 && emptyBlock(x.header()).equals("mismatch")) {
                        verdicts.add(new Item.Verdict(Kind.MERKLE_MISMATCH, x.subnet(), h.deviceId(), h.height(), "",
                                "empty block " + h.height() + " does not commit to the empty tree", x.header().cose().encoded(), null));
                    }
                    continue;
                }
                q.setString(1, h.deviceId());
                q.setBytes(2, h.certHash().bytes());
                q.setLong(3, h.height());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (Arrays.equals(rs.getBytes(1), x.header().hash().bytes())) duplicates++;
                    else verdicts.add(headerConflict(x, rs.getBytes(2)));
                }
            }
        }
        return new int[] {inserted, duplicates};
    }

    private static String emptyBlock(SignedHeader h) {
        try {
            LedgerVerifier.verifyBlock(h, List.of());
            return "ok";
        } catch (VerificationException e) {
            return "mismatch";
        }
    }

    private static String genesis(SignedHeader h) {
        try {
            LedgerVerifier.verifySegment(List.of(h));
            return "ok";
        } catch (VerificationException e) {
            return "broken";
        }
    }

    private static void alerts(Connection c, List<Item.Alert> alerts, List<Item.Verdict> verdicts) throws SQLException {
        if (alerts.isEmpty()) return;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO alert (digest, subnet, device, height, header_a, header_b,"
                + " verified, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Item.Alert a : alerts) {
                p.setBytes(1, a.digest().bytes());
                p.setString(2, a.subnet());
                p.setString(3, a.device());
                p.setLong(4, a.height());
                p.setBytes(5, a.headerA());
                p.setBytes(6, a.headerB());
                p.setBoolean(7, a.verified());
                p.setString(8, a.detail());
                p.addBatch();
                verdicts.add(new Item.Verdict(Kind.ALERT, a.subnet(), a.device(), a.height(), "", a.detail(), a.headerA(), a.headerB()));
            }
            p.executeBatch();
        }
    }

    private static void balances(Connection c, List<Item.Balance> balances) throws SQLException {
        if (balances.isEmpty()) return;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO balance (digest, subnet, device, time_ms, cose) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            for (Item.Balance b : balances) {
                p.setBytes(1, b.digest().bytes());
                p.setString(2, b.subnet());
                p.setString(3, b.device());
                p.setLong(4, b.timeMs());
                p.setBytes(5, b.cose());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Records verdicts; one already recorded (the same evidence re-delivered) adds nothing. */
    static int verdicts(Connection c, List<Item.Verdict> verdicts) throws SQLException {
        if (verdicts.isEmpty()) return 0;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO verdict (kind, subnet, device, number, topic, detail, cose,"
                + " other_cose, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Item.Verdict v : verdicts) {
                p.setString(1, v.kind().label());
                p.setString(2, v.subnet());
                p.setString(3, v.device());
                if (v.number() < 0) p.setNull(4, java.sql.Types.BIGINT);
                else p.setLong(4, v.number());
                p.setString(5, v.topic());
                p.setString(6, v.detail());
                p.setBytes(7, v.cose());
                p.setBytes(8, v.otherCose());
                p.setBytes(9, evidence(v));
                p.addBatch();
            }
            return Arrays.stream(p.executeBatch()).map(n -> n > 0 ? 1 : 0).sum();
        }
    }

    private static byte[] evidence(Item.Verdict v) {
        MessageDigest d = Hash32.newDigest();
        d.update((v.kind().label() + "\n" + v.subnet() + "/" + v.device() + "\n" + v.number() + "\n").getBytes(StandardCharsets.UTF_8));
        if (v.cose() != null) d.update(Hash32.sha256(v.cose()).bytes());
        if (v.otherCose() != null) d.update(Hash32.sha256(v.otherCose()).bytes());
        if (v.cose() == null && v.otherCose() == null) d.update(v.detail().getBytes(StandardCharsets.UTF_8));
        return d.digest();
    }

    private static Item.Verdict readingConflict(Item.Reading x, byte[] stored) {
        long seq = x.reading().seq();
        return new Item.Verdict(Kind.EQUIVOCATION, x.subnet(), x.device(), seq, "", "two different signed readings for seq " + seq
                + " (stored " + Hash32.sha256(stored).shortHex() + "…, received " + x.digest().shortHex() + "…)",
                x.reading().cose().encoded(), stored);
    }

    private static Item.Verdict headerConflict(Item.Header x, byte[] stored) {
        SignedHeader h = x.header();
        return new Item.Verdict(Kind.EQUIVOCATION, x.subnet(), h.deviceId(), h.height(), "", "two different signed headers for height "
                + h.height() + " under one certificate (stored " + Hash32.sha256(stored).shortHex() + "…, received "
                + Hash32.sha256(h.cose().encoded()).shortHex() + "…)", h.cose().encoded(), stored);
    }

    /** {"OBIS" or "meter/OBIS": [mantissa, scaler, "unit"]}. */
    static String valuesJson(SortedMap<String, ScaledValue> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, List.of(v.mantissa(), v.scaler(), v.unit())));
        return Json.write(m);
    }

    private static String witnessesJson(List<Witness> witnesses) {
        List<Object> l = new ArrayList<>();
        for (Witness w : witnesses) l.add(List.of(w.deviceId(), w.height(), w.headerHash().hex()));
        return Json.write(l);
    }
}
