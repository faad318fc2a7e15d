package io.eiedge.runtime.watch;

import io.eiedge.ledger.model.ScaledValue;
import java.util.SortedMap;

/**
 * What the watcher knows of one device, at one moment.
 *
 * @param state          the device's last {@code state} message ("online", "offline"), or "" when none came
 * @param lastSeq        highest verified seq, 0 when none
 * @param lastHeight     highest verified header height, -1 when none
 * @param missing        readings missing from the seq sequence so far (see {@link Watcher})
 * @param blocksVerified blocks whose readings all arrived and hashed to the header's Merkle root
 * @param held           readings waiting for the device's certificate
 * @param energy         the newest verified header's energy summary ("meterId/OBIS" → register)
 */
public record DeviceSummary(String subnet, String device, String role, String state, boolean trusted, boolean revoked,
                            long readingsOk, long forged, long missing, long duplicates, long headersOk,
                            long headersBad, long headerGaps, long blocksVerified, long lastSeq, long lastHeight,
                            int held, SortedMap<String, ScaledValue> energy) {
}
