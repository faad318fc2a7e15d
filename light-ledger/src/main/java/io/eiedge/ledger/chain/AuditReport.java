package io.eiedge.ledger.chain;

import java.util.List;

/**
 * The verdict of {@link ChainAudit}: how far the chain goes, how much of it was checked, and
 * every problem found (empty when the chain verifies from genesis).
 *
 * @param readingsVerified readings whose signature, seq and block membership were checked
 * @param prunedBlocks blocks whose bodies retention removed (their headers were checked)
 * @param anchoredToRoot whether certificates were checked against a registrar root, not just read from the store
 */
public record AuditReport(String deviceId, long height, long nextSeq, long readingsVerified, long prunedBlocks,
                          long unsealed, boolean anchoredToRoot, List<String> problems) {
    public boolean ok() {
        return problems.isEmpty();
    }
}
