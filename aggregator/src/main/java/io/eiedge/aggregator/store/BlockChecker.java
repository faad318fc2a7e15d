package io.eiedge.aggregator.store;

import io.eiedge.aggregator.ingest.Item;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.runtime.watch.Problem.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges stored blocks once the database holds enough of them, whichever instance stored the
 * parts: a header's Merkle root once every reading of its block is stored
 * ({@link LedgerVerifier#verifyBlock}), and its link once the header below it is
 * ({@link LedgerVerifier#verifyLink}). Rows are taken with {@code FOR UPDATE SKIP LOCKED}, so
 * instances running this at once share the work instead of repeating it. Readings and headers
 * were verified when stored; this checks only how they fit together.
 */
public final class BlockChecker {
    /** Headers judged per transaction, so one round stays short. */
    public static final int ROUND = 200;

    /** What one round judged. */
    public record Result(int merkleOk, int merkleMismatch, int linksOk, int linksBroken) {
        public boolean any() {
            return merkleOk + merkleMismatch + linksOk + linksBroken > 0;
        }
    }

    private BlockChecker() {
    }

    public static Result check(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int[] m = merkle(c);
            int[] l = links(c);
            c.commit();
            return new Result(m[0], m[1], l[0], l[1]);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static int[] merkle(Connection c) throws SQLException {
        record Block(String device, byte[] cert, long height, String subnet, byte[] cose) {
        }
        List<Block> complete = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT h.device, h.cert_hash, h.height, h.subnet, h.cose FROM header h"
                + " WHERE h.merkle = 'pending' AND h.count > 0 AND (SELECT count(*) FROM reading r WHERE r.device = h.device"
                + " AND r.cert_hash = h.cert_hash AND r.seq BETWEEN h.first_seq AND h.first_seq + h.count - 1) = h.count"
                + " LIMIT " + ROUND + " FOR UPDATE OF h SKIP LOCKED");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) complete.add(new Block(rs.getString(1), rs.getBytes(2), rs.getLong(3), rs.getString(4), rs.getBytes(5)));
        }
        int ok = 0;
        int bad = 0;
        List<Item.Verdict> verdicts = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT cose FROM reading WHERE device = ? AND cert_hash = ?"
                + " AND seq BETWEEN ? AND ? ORDER BY seq");
             PreparedStatement u = c.prepareStatement("UPDATE header SET merkle = ? WHERE device = ? AND cert_hash = ? AND height = ?")) {
            for (Block b : complete) {
                String outcome;
                try {
                    SignedHeader h = SignedHeader.decode(b.cose());
                    q.setString(1, b.device());
                    q.setBytes(2, b.cert());
                    q.setLong(3, h.header().firstSeq());
                    q.setLong(4, h.header().nextSeq() - 1);
                    List<SignedReading> block = new ArrayList<>((int) h.header().count());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) block.add(SignedReading.decode(rs.getBytes(1)));
                    }
                    LedgerVerifier.verifyBlock(h, block);
                    outcome = "ok";
                    ok++;
                } catch (VerificationException | LedgerFormatException e) {
                    outcome = "mismatch";
                    bad++;
                    verdicts.add(new Item.Verdict(Kind.MERKLE_MISMATCH, b.subnet(), b.device(), b.height(), "", e.getMessage(), b.cose(), null));
                }
                u.setString(1, outcome);
                u.setString(2, b.device());
                u.setBytes(3, b.cert());
                u.setLong(4, b.height());
                u.addBatch();
            }
            if (!complete.isEmpty()) u.executeBatch();
        }
        BatchWriter.verdicts(c, verdicts);
        return new int[] {ok, bad};
    }

    private static int[] links(Connection c) throws SQLException {
        record Pair(String device, byte[] cert, long height, String subnet, byte[] cose, byte[] prev) {
        }
        List<Pair> pairs = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT h.device, h.cert_hash, h.height, h.subnet, h.cose, b.cose"
                + " FROM header h JOIN header b ON b.device = h.device AND b.cert_hash = h.cert_hash AND b.height = h.height - 1"
                + " WHERE h.link = 'pending' LIMIT " + ROUND + " FOR UPDATE OF h SKIP LOCKED");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                pairs.add(new Pair(rs.getString(1), rs.getBytes(2), rs.getLong(3), rs.getString(4), rs.getBytes(5), rs.getBytes(6)));
            }
        }
        int ok = 0;
        int bad = 0;
        List<Item.Verdict> verdicts = new ArrayList<>();
        try (PreparedStatement u = c.prepareStatement("UPDATE header SET link = ? WHERE device = ? AND cert_hash = ? AND height = ?")) {
            for (Pair x : pairs) {
                String outcome;
                try {
                    LedgerVerifier.verifyLink(SignedHeader.decode(x.prev()), SignedHeader.decode(x.cose()));
                    outcome = "ok";
                    ok++;
                } catch (VerificationException | LedgerFormatException e) {
                    outcome = "broken";
                    bad++;
                    verdicts.add(new Item.Verdict(Kind.BROKEN_LINK, x.subnet(), x.device(), x.height(), "", e.getMessage(), x.cose(), x.prev()));
                }
                u.setString(1, outcome);
                u.setString(2, x.device());
                u.setBytes(3, x.cert());
                u.setLong(4, x.height());
                u.addBatch();
            }
            if (!pairs.isEmpty()) u.executeBatch();
        }
        BatchWriter.verdicts(c, verdicts);
        return new int[] {ok, bad};
    }
}
