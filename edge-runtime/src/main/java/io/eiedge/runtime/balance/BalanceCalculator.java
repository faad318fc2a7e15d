package io.eiedge.runtime.balance;

import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.ledger.model.Witness;
import org.tinylog.Logger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Sums the energy summaries (header key 8, {@code "meterId/OBIS" → value}) of the newest verified
 * header of every device into totals per OBIS code, exactly:
 * <ul>
 *   <li>every summand of one OBIS code is brought to the <b>smallest scaler</b> among them
 *       (mantissa × 10^(scaler − smallest), in arbitrary precision), then added, so nothing rounds;</li>
 *   <li>the total keeps that smallest scaler; only if its mantissa would not fit a signed 64-bit
 *       integer are trailing decimal zeros moved into the scaler, and if it still does not fit the
 *       code is left out (and logged) rather than rounded;</li>
 *   <li>summands must share the unit of the first one seen for that OBIS code (in device-id, then
 *       key order); a summand in another unit is left out and logged, never converted.</li>
 * </ul>
 */
public final class BalanceCalculator {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private BalanceCalculator() {
    }

    /** @param newest the newest verified header of every device counted (own included), any order */
    public static SubnetBalance compute(String subnet, long timeMs, List<SignedHeader> newest) {
        List<SignedHeader> sorted = new ArrayList<>(newest);
        sorted.sort(java.util.Comparator.comparing(SignedHeader::deviceId));
        Map<String, List<ScaledValue>> byObis = new TreeMap<>();
        List<Witness> sources = new ArrayList<>();
        for (SignedHeader h : sorted) {
            sources.add(new Witness(h.deviceId(), h.height(), h.hash()));
            for (Map.Entry<String, ScaledValue> e : h.header().summary().entrySet()) {
                String obis = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
                List<ScaledValue> values = byObis.computeIfAbsent(obis, k -> new ArrayList<>());
                if (!values.isEmpty() && !values.get(0).unit().equals(e.getValue().unit())) {
                    Logger.warn("subnet balance {}: {} {} of {} is in {}, the total is in {}; left out", subnet, e.getKey(),
                            e.getValue(), h.deviceId(), e.getValue().unit(), values.get(0).unit());
                    continue;
                }
                values.add(e.getValue());
            }
        }
        SortedMap<String, ScaledValue> totals = new TreeMap<>();
        for (Map.Entry<String, List<ScaledValue>> e : byObis.entrySet()) {
            ScaledValue total = sum(e.getValue());
            if (total == null) {
                Logger.error("subnet balance {}: the total of {} does not fit a 64-bit mantissa; left out", subnet, e.getKey());
            } else {
                totals.put(e.getKey(), total);
            }
        }
        return new SubnetBalance(subnet, timeMs, sources, totals);
    }

    /** The exact sum as described above, or null if it cannot be carried exactly. */
    static ScaledValue sum(List<ScaledValue> values) {
        int scaler = values.stream().mapToInt(ScaledValue::scaler).min().orElseThrow();
        BigInteger total = BigInteger.ZERO;
        for (ScaledValue v : values) {
            total = total.add(BigInteger.valueOf(v.mantissa()).multiply(BigInteger.TEN.pow(v.scaler() - scaler)));
        }
        while ((total.compareTo(LONG_MAX) > 0 || total.compareTo(LONG_MIN) < 0) && scaler < 127
                && total.mod(BigInteger.TEN).signum() == 0) {
            total = total.divide(BigInteger.TEN);
            scaler++;
        }
        if (total.compareTo(LONG_MAX) > 0 || total.compareTo(LONG_MIN) < 0) {
            return null;
        }
        return new ScaledValue(total.longValueExact(), scaler, values.get(0).unit());
    }
}
