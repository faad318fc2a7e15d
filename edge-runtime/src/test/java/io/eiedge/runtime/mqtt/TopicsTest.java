package io.eiedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The topic table of DESIGN.md, Network. */
class TopicsTest {
    private final Topics t = new Topics("ei/v1", "campus-north", "router-07");

    @Test
    void namesAndRetainedFlagsFollowTheDesignTable() {
        assertEquals("ei/v1/campus-north/router-07/reading", t.reading());
        assertEquals("ei/v1/campus-north/router-07/header", t.header());
        assertEquals("ei/v1/campus-north/router-07/cert", t.cert());
        assertEquals("ei/v1/campus-north/router-07/state", t.state());
        assertEquals("ei/v1/campus-north/balance", t.balance());
        assertEquals("ei/v1/campus-north/alert", t.alert());
        assertEquals("ei/v1/campus-north/crl", t.crl());
        assertFalse(t.isRetained(t.reading()));
        assertFalse(t.isRetained(t.alert()));
        for (String retained : new String[] {t.header(), t.cert(), t.state(), t.balance(), t.crl()}) {
            assertTrue(t.isRetained(retained), retained);
        }
    }

    @Test
    void theStateMessageIsTheDesignsJson() {
        assertEquals("{\"state\":\"offline\",\"session\":7,\"seq\":1200,\"height\":3,\"time\":1700000000000}",
                new String(new DeviceState(false, 7, 1200, 3, 1_700_000_000_000L).toJson()));
    }
}
