package io.eiedge.runtime.peer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private final ManualClock clock = new ManualClock();
    private final Backoff backoff = new Backoff(clock, Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofMinutes(10));

    @Test
    void oneFailureCostsNothingAndRepeatedOnesWaitExponentiallyLongerUpToTheMaximum() {
        assertEquals(Duration.ZERO, backoff.failed());
        assertFalse(backoff.waiting());
        assertEquals(Duration.ofSeconds(1), backoff.failed());
        assertEquals(Duration.ofSeconds(3), backoff.failed());
        assertEquals(Duration.ofSeconds(7), backoff.failed());
        assertEquals(Duration.ofSeconds(15), backoff.failed());
        assertEquals(Duration.ofSeconds(20), backoff.failed());
        for (int i = 0; i < 40; i++) {
            assertEquals(Duration.ofSeconds(20), backoff.failed(), "never beyond the maximum, however long it fails");
        }
    }

    @Test
    void anAttemptIsTooEarlyUntilTheWaitIsOver() {
        backoff.failed();
        backoff.failed();
        backoff.failed(); // 3 s
        assertTrue(backoff.waiting());
        clock.advance(2_999);
        assertTrue(backoff.waiting());
        clock.advance(1);
        assertFalse(backoff.waiting());
    }

    @Test
    void aSuccessOrALongQuietSpellStartsTheSeriesAfresh() {
        backoff.failed();
        backoff.failed();
        backoff.succeeded();
        assertFalse(backoff.waiting());
        assertEquals(Duration.ZERO, backoff.failed());
        backoff.failed();
        backoff.failed();
        clock.advance(Duration.ofMinutes(11).toMillis());
        assertEquals(Duration.ZERO, backoff.failed(), "a failure long after the last one is a first failure again");
        assertEquals(1, backoff.failures());
    }
}
