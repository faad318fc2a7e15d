package io.eiedge.ledger.chain;

import io.eiedge.ledger.TestIdentity;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.ScaledValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainAuditTest {
    @TempDir
    Path dir;

    private Chain open() throws LedgerStoreException {
        return Chain.open(dir, TestIdentity.router07(), new BlockPolicy(10, Duration.ofSeconds(300)), Retention.DEFAULT,
                List::of, InstantSource.system());
    }

    private static List<ReadingDraft> drafts(int n) {
        List<ReadingDraft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ReadingDraft.of("pv", 1000 + i, ClockStatus.SYNCHRONISED, Map.of("1-0:2.8.0", new ScaledValue(i, 0, "Wh")), 0));
        }
        return out;
    }

    @Test
    void aRunningChainAuditsCleanFromGenesisAgainstTheRoot() throws Exception {
        try (Chain chain = open()) {
            chain.append(drafts(35));
            AuditReport report = ChainAudit.audit(dir, TestIdentity.verifier()); // while open, as on a running node
            assertTrue(report.ok(), report.problems().toString());
            assertEquals(3, report.height());
            assertEquals(35, report.readingsVerified());
            assertEquals(5, report.unsealed());
            assertEquals(36, report.nextSeq());
            assertTrue(report.anchoredToRoot());
        }
    }

    @Test
    void aTamperedReadingBodyIsFound() throws Exception {
        try (Chain chain = open()) {
            chain.append(drafts(20));
        }
        Path segment;
        try (var files = Files.list(dir.resolve("readings"))) {
            segment = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        // change one digit of the device id inside the first reading, then fix its frame CRC so only the signature can tell
        int at = indexOf(bytes, "router-07".getBytes()) + 8;
        bytes[at] = '8';
        var crc = new java.util.zip.CRC32C();
        int length = java.nio.ByteBuffer.wrap(bytes, 0, 4).getInt();
        crc.update(bytes, 8, length);
        java.nio.ByteBuffer.wrap(bytes, 4, 4).putInt((int) crc.getValue());
        Files.write(segment, bytes);
        AuditReport report = ChainAudit.audit(dir, null);
        assertFalse(report.ok());
        assertTrue(report.problems().stream().anyMatch(p -> p.contains("block 1")), report.problems().toString());
        assertFalse(report.anchoredToRoot());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
