package io.eiedge.ledger.chain;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.Ed25519PublicKey;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.store.AtomicFiles;
import io.eiedge.ledger.store.SegmentLog;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.VerificationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a chain folder from genesis using only its append-only files (header log, reading
 * segments, certificates) — never the index — so it works on a stopped node and on a running
 * one alike, and trusts nothing the node computed. Every header: signature, certificate, link.
 * Every kept block: its readings' signatures, seqs and Merkle root. The unsealed tail: signed
 * and gapless.
 */
public final class ChainAudit {
    private static final String CERTS = "certs";

    private ChainAudit() {
    }

    /** Stores a certificate the chain is signed under, by SHA-256, so audits can find its key. */
    static void keepCertificate(Path dir, Hash32 hash, byte[] der) throws IOException {
        Path certs = dir.resolve(CERTS);
        Files.createDirectories(certs);
        Path file = certs.resolve(hash.hex() + ".der");
        if (!Files.exists(file)) {
            AtomicFiles.write(file, der);
        }
    }

    /**
     * @param verifier the registrar root to anchor certificates to; null checks the chain's
     *                 integrity against the certificates stored with it (report says so)
     */
    public static AuditReport audit(Path dir, LedgerVerifier verifier) throws LedgerStoreException {
        List<String> problems = new ArrayList<>();
        Map<Hash32, Ed25519PublicKey> keys = new HashMap<>();
        try {
            if (!Files.isDirectory(dir.resolve("headers"))) {
                throw new LedgerStoreException("no chain in " + dir + " (no headers/ folder)");
            }
            SegmentLog headerLog = SegmentLog.openForReading(dir.resolve("headers"));
            List<SignedHeader> headers = new ArrayList<>();
            for (long s : headerLog.segments()) {
                var end = headerLog.scan(s, 0, f -> {
                    try {
                        headers.add(SignedHeader.decode(f.payload()));
                    } catch (LedgerFormatException e) {
                        problems.add("header log offset " + f.offset() + ": " + e.getMessage());
                    }
                });
                if (end.damaged()) {
                    problems.add("header log is damaged at offset " + end.end() + ": whole frames follow a bad one");
                } else if (end.torn()) {
                    problems.add("header log ends in a damaged frame at offset " + end.end() + " (a write in progress if the node is running)");
                }
            }
            if (headers.isEmpty()) {
                throw new LedgerStoreException("no headers in " + dir);
            }
            String device = headers.get(0).deviceId();
            for (SignedHeader h : headers) {
                Ed25519PublicKey key = keys.computeIfAbsent(h.header().certHash(), c -> keyFor(dir, c, verifier, device, problems));
                if (key != null) {
                    try {
                        h.verify(key);
                    } catch (SignatureException e) {
                        problems.add("header " + h.height() + ": " + e.getMessage());
                    }
                }
            }
            for (int i = 0; i < headers.size(); i++) {
                if (headers.get(i).height() != i) {
                    problems.add("header log position " + i + " holds height " + headers.get(i).height());
                    break;
                }
            }
            try {
                LedgerVerifier.verifySegment(headers);
            } catch (VerificationException e) {
                problems.add(e.getMessage());
            }

            // readings, in seq order across the kept segments
            SegmentLog readingLog = SegmentLog.openForReading(dir.resolve("readings"));
            List<SignedReading> readings = new ArrayList<>();
            List<Long> segments = readingLog.segments();
            for (int i = 0; i < segments.size(); i++) {
                long s = segments.get(i);
                boolean last = i == segments.size() - 1;
                var end = readingLog.scan(s, 0, f -> {
                    try {
                        readings.add(SignedReading.decode(f.payload()));
                    } catch (LedgerFormatException e) {
                        problems.add("reading segment " + s + " offset " + f.offset() + ": " + e.getMessage());
                    }
                });
                if (end.damaged() || (end.torn() && !last)) {
                    problems.add("reading segment " + s + " is damaged at offset " + end.end());
                }
            }
            long verified = 0;
            long pruned = 0;
            int next = 0; // index into readings
            // retention deletes whole segments from the oldest, which are numbered from 1: while segment 1
            // is there nothing was pruned, so a block without its readings is a problem, not retention
            boolean pruningHappened = !segments.isEmpty() && segments.get(0) > 1;
            long firstKept = !pruningHappened ? 1 : readings.isEmpty() ? Long.MAX_VALUE : readings.get(0).seq();
            for (SignedHeader h : headers) {
                long count = h.header().count();
                if (count == 0) {
                    continue;
                }
                if (h.header().nextSeq() <= firstKept) {
                    pruned++;
                    continue;
                }
                if (next + count > readings.size()) {
                    problems.add("block " + h.height() + " commits to seq " + h.header().firstSeq() + ".." + (h.header().nextSeq() - 1)
                            + " but the segments end at " + (readings.isEmpty() ? "nothing" : readings.get(readings.size() - 1).seq()));
                    next = readings.size();
                    break;
                }
                List<SignedReading> block = readings.subList(next, (int) (next + count));
                try {
                    LedgerVerifier.verifyBlock(h, block);
                } catch (VerificationException e) {
                    problems.add(e.getMessage());
                }
                verified += verifySignatures(block, keys.get(h.header().certHash()), device, problems);
                next += (int) count;
            }
            SignedHeader head = headers.get(headers.size() - 1);
            long expected = head.header().nextSeq();
            List<SignedReading> unsealed = readings.subList(Math.min(next, readings.size()), readings.size());
            for (SignedReading r : unsealed) {
                if (r.seq() != expected) {
                    problems.add("unsealed reading has seq " + r.seq() + ", expected " + expected);
                    break;
                }
                expected++;
            }
            verified += verifySignatures(unsealed, keys.get(head.header().certHash()), device, problems);
            return new AuditReport(device, head.height(), expected, verified, pruned, unsealed.size(), verifier != null,
                    List.copyOf(problems));
        } catch (IOException e) {
            throw new LedgerStoreException("cannot read the chain in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long verifySignatures(List<SignedReading> readings, Ed25519PublicKey key, String device, List<String> problems) {
        if (key == null) {
            return 0;
        }
        long ok = 0;
        for (SignedReading r : readings) {
            try {
                r.verify(key);
                if (!r.reading().deviceId().equals(device)) {
                    problems.add("reading seq " + r.seq() + " claims device '" + r.reading().deviceId() + "'");
                } else {
                    ok++;
                }
            } catch (SignatureException e) {
                problems.add("reading seq " + r.seq() + ": " + e.getMessage());
            }
        }
        return ok;
    }

    private static Ed25519PublicKey keyFor(Path dir, Hash32 certHash, LedgerVerifier verifier, String device, List<String> problems) {
        Path file = dir.resolve(CERTS).resolve(certHash.hex() + ".der");
        try {
            byte[] der = Files.readAllBytes(file);
            if (!Hash32.sha256(der).equals(certHash)) {
                problems.add("certificate file " + file.getFileName() + " does not hash to its name");
                return null;
            }
            if (verifier != null) {
                var trusted = verifier.trust(der);
                if (!trusted.deviceId().equals(device)) {
                    problems.add("certificate " + certHash.shortHex() + "… is of '" + trusted.deviceId() + "', the chain is of '" + device + "'");
                }
                return trusted.key();
            }
            return Ed25519PublicKey.fromSpki(LedgerVerifier.parseCertificate(der).getPublicKey().getEncoded());
        } catch (IOException e) {
            problems.add("certificate " + certHash.shortHex() + "… named by headers is not in " + dir.resolve(CERTS));
        } catch (VerificationException | IllegalArgumentException e) {
            problems.add("certificate " + certHash.shortHex() + "…: " + e.getMessage());
        }
        return null;
    }
}
