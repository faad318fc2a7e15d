package io.eiedge.runtime.peer;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class ManualClock implements InstantSource {
    private long ms = 1_000_000;

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(ms);
    }

    void advance(long byMs) {
        ms += byMs;
    }
}
