package io.eiedge.runtime.balance;

import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Header;
import io.eiedge.ledger.model.ScaledValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class BalanceCalculatorTest {
    private static SignedHeader header(String device, long height, TreeMap<String, ScaledValue> summary) {
        return SignedHeader.sign(new Header(device, height, Hash32.sha256(device.getBytes()), MerkleTree.root(List.of()), 1, 0, 1,
                summary, List.of(), Hash32.ZERO), new Ed25519PrivateKey(new byte[32]));
    }

    @Test
    void sumsExactlyAtTheSmallestScalerAcrossDevicesAndMeters() throws Exception {
        TreeMap<String, ScaledValue> a = new TreeMap<>();
        a.put("grid/1-0:1.8.0", new ScaledValue(1234, 0, "Wh"));      // 1234 Wh
        a.put("pv/1-0:2.8.0", new ScaledValue(5, 3, "Wh"));           // 5000 Wh
        TreeMap<String, ScaledValue> b = new TreeMap<>();
        b.put("grid/1-0:1.8.0", new ScaledValue(12345, -1, "Wh"));    // 1234.5 Wh
        b.put("heat/6-0:1.0.0", new ScaledValue(7, 0, "J"));
        b.put("odd/1-0:2.8.0", new ScaledValue(1, 0, "varh"));        // another unit: left out, not converted
        SubnetBalance s = BalanceCalculator.compute("sub-1", 99, List.of(header("b", 4, b), header("a", 2, a)));
        assertEquals(new ScaledValue(24685, -1, "Wh"), s.totals().get("1-0:1.8.0")); // 2468.5 Wh exactly
        assertEquals(new ScaledValue(5, 3, "Wh"), s.totals().get("1-0:2.8.0"));
        assertEquals(new ScaledValue(7, 0, "J"), s.totals().get("6-0:1.0.0"));
        assertEquals(List.of("a", "b"), s.sources().stream().map(w -> w.deviceId()).toList());
        assertEquals(s, SubnetBalance.decode(s.encode()));
    }

    @Test
    void overflowMovesTrailingZerosIntoTheScalerOrLeavesTheCodeOut() {
        ScaledValue big = new ScaledValue(Long.MAX_VALUE / 10 * 10, 0, "Wh");
        assertEquals(new ScaledValue(Long.MAX_VALUE / 10 * 2 / 1, 1, "Wh").scaler(),
                BalanceCalculator.sum(List.of(big, big)).scaler());
        assertEquals(Long.MAX_VALUE / 10 * 2, BalanceCalculator.sum(List.of(big, big)).mantissa());
        assertNull(BalanceCalculator.sum(List.of(new ScaledValue(Long.MAX_VALUE, 0, "Wh"), new ScaledValue(1, 0, "Wh"))));
        assertFalse(BalanceCalculator.compute("s", 1, List.of()).totals().containsKey("1-0:1.8.0"));
    }
}
