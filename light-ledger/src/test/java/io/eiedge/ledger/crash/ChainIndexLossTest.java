package io.eiedge.ledger.crash;

import io.eiedge.ledger.TestIdentity;
import io.eiedge.ledger.chain.BlockPolicy;
import io.eiedge.ledger.chain.Chain;
import io.eiedge.ledger.chain.ReadingDraft;
import io.eiedge.ledger.chain.Retention;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Quality;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chain's block index is documented as rebuildable from the logs. These tests take it away
 * the ways a crash or an operator can: gone entirely, or an empty file (a kill between creating
 * it and writing the genesis record).
 */
class ChainIndexLossTest {
    @TempDir
    Path dir;

    private Chain open() throws Exception {
        return Chain.open(dir, TestIdentity.router07(), new BlockPolicy(16, Duration.ofHours(1)),
                new Retention(Duration.ofDays(30), 0, 4096), List::of, InstantSource.system());
    }

    private static List<ReadingDraft> drafts(int n) {
        List<ReadingDraft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ReadingDraft.of("grid", 1_767_225_601_000L + i, ClockStatus.SYNCHRONISED,
                    Map.of("1-0:1.8.0", new ScaledValue(1000 + i, 0, "Wh")), Quality.GOOD));
        }
        return out;
    }

    private void removeIndex() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("blocks.idx")).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aLostIndexIsRebuiltFromTheLogsAndTheChainVerifiesFromGenesis() throws Exception {
        try (Chain chain = open()) {
            chain.append(drafts(100)); // 6 blocks of 16, 4 unsealed, several segments
        }
        removeIndex();
        ChainAudit audit = new ChainAudit();
        try (Chain chain = open()) {
            ChainAudit.Result r = audit.audit(chain);
            assertEquals(101, r.nextSeq());
            assertEquals(6, r.height());
            assertEquals(4, r.unsealed());
            assertEquals(101, chain.append(drafts(1)).get(0).seq());
        }
    }

    @Test
    void aKillAfterTheGenesisHeaderButBeforeItsIndexRecordLeavesAChainThatOpens() throws Exception {
        // CI found this with the crash test: the header log held genesis, the index and the readings were empty
        long genesisTime;
        try (Chain chain = open()) {
            genesisTime = chain.head().header().sealedAtMs();
        }
        removeIndex();
        Files.createFile(dir.resolve("blocks.idx"));
        try (Chain chain = open()) {
            assertEquals(0, chain.head().height());
            assertEquals(genesisTime, chain.head().header().sealedAtMs(), "the logged genesis is kept, not written again");
            assertEquals(1, chain.append(drafts(1)).get(0).seq());
            ChainAudit.Result r = new ChainAudit().audit(chain);
            assertEquals(2, r.nextSeq());
            assertEquals(1, r.unsealed());
        }
    }

    @Test
    void anEmptyBlockSealedLastIsReindexedWhenNoReadingsFollowIt() throws Exception {
        try (Chain chain = open()) {
            chain.append(drafts(3));
            chain.seal();
            chain.seal(); // nothing pending: an empty block
        }
        removeIndex();
        try (Chain chain = open()) {
            assertEquals(2, chain.head().height());
            assertEquals(0, chain.head().header().count());
            ChainAudit.Result r = new ChainAudit().audit(chain);
            assertEquals(4, r.nextSeq());
            assertEquals(0, r.unsealed());
            assertEquals(4, chain.append(drafts(1)).get(0).seq());
        }
    }

    @Test
    void anEmptyIndexFileLeftByAKillIsRebuiltFromTheLogs() throws Exception {
        try (Chain chain = open()) {
            chain.append(drafts(40));
        }
        removeIndex();
        Files.createFile(dir.resolve("blocks.idx"));
        try (Chain chain = open()) {
            ChainAudit.Result r = new ChainAudit().audit(chain);
            assertEquals(41, r.nextSeq());
        }
    }
}
