package io.eiedge.runtime.peer;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestGateTest {
    private final ManualClock clock = new ManualClock();
    private final RequestGate gate = new RequestGate("router-1", clock);
    private final InetSocketAddress flooder = new InetSocketAddress("127.0.0.1", 40000);
    private final InetSocketAddress honest = new InetSocketAddress("127.0.0.1", 40001);

    @Test
    void aSenderThatExceedsItsCostlyRateIsMutedWhileOthersAreServed() {
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (gate.admit(flooder, true)) {
                admitted++;
            }
        }
        assertEquals(RequestGate.COSTLY_BURST, admitted, "a burst, then nothing");
        assertTrue(gate.admit(honest, true), "another sender is not affected");
        assertEquals(1000 - RequestGate.COSTLY_BURST, gate.dropped());
    }

    @Test
    void aMutedSenderIsHeardAgainAfterItsBackOffAndMutedLongerIfItGoesOn() {
        for (int i = 0; i <= RequestGate.COSTLY_BURST; i++) {
            gate.admit(flooder, true);
        }
        gate.admit(flooder, true); // second failure: muted 1 s
        clock.advance(500);
        assertFalse(gate.admit(flooder, false), "muted: even a cheap request is dropped");
        clock.advance(600);
        assertTrue(gate.admit(flooder, false), "heard again after its back-off");
    }

    @Test
    void cheapRequestsHaveTheirOwnLargerAllowance() {
        for (int i = 0; i < RequestGate.REQUEST_BURST; i++) {
            assertTrue(gate.admit(honest, false));
        }
        assertFalse(gate.admit(honest, false));
    }
}
