package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.FailurePolicy;
import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import org.tinylog.Logger;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A meter on a Modbus link (TCP or a shared RTU bus). Turns every failure into quality bits:
 * timeout → {@link Quality#TIMEOUT}; CRC error, corrupt frame, exception response, port gone →
 * {@link Quality#COMM_ERROR}; NaN, negative energy or implausible values are dropped with
 * {@link Quality#OUT_OF_RANGE}; an energy register below its last good value is kept and
 * flagged {@link Quality#COUNTER_RESET}. Follows its {@link FailurePolicy} for back-off and held values.
 */
public final class ModbusMeter implements Meter {
    private final String id;
    private final int unitId;
    private final ValueReader reader;
    private final ModbusLink link;
    private final Runnable onClose;
    private final FailurePolicy policy;
    private final InstantSource clock;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private final Map<String, Measurement> lastCumulative = new HashMap<>();
    private SortedMap<String, Measurement> lastGood;
    private long lastGoodMs;
    private int consecutiveFailures;
    private long backoffUntilMs;
    private int lastFailureBits;
    private String lastError;

    /**
     * @param onClose run once at {@link #close()}: releases this meter's share of the link
     */
    public ModbusMeter(String id, int unitId, ValueReader reader, ModbusLink link, Runnable onClose,
                       FailurePolicy policy, InstantSource clock) {
        this.id = id;
        this.unitId = unitId;
        this.reader = reader;
        this.link = link;
        this.onClose = onClose;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public String id() {
        return id;
    }

    public int unitId() {
        return unitId;
    }

    public ModbusLink link() {
        return link;
    }

    @Override
    public synchronized Sample read() {
        long now = clock.millis();
        if (now < backoffUntilMs) {
            return failed(now, lastFailureBits, lastError);
        }
        List<String> problems = new ArrayList<>();
        SortedMap<String, Measurement> values;
        try {
            values = reader.read(link, unitId, problems);
        } catch (ModbusFault f) {
            return failure(now, f.qualityBits(), f.getMessage());
        } catch (RuntimeException e) {
            // a driver bug must not kill the polling loop; report it like a bad frame
            Logger.error(e, "meter {}: read failed unexpectedly", id);
            return failure(now, Quality.COMM_ERROR, "unexpected error: " + e);
        }
        int quality = problems.isEmpty() ? 0 : Quality.OUT_OF_RANGE;
        for (var it = values.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!Obis.isCumulative(e.getKey())) {
                continue;
            }
            Measurement m = e.getValue();
            if (m.mantissa() < 0) {
                problems.add(e.getKey() + ": negative energy " + m.plain());
                quality |= Quality.OUT_OF_RANGE;
                it.remove();
                continue;
            }
            Measurement before = lastCumulative.get(e.getKey());
            if (before != null && before.unit().equals(m.unit()) && m.value().compareTo(before.value()) < 0) {
                problems.add(e.getKey() + ": went backwards from " + before.plain() + " to " + m.plain() + " (reset or rollover)");
                quality |= Quality.COUNTER_RESET;
            }
            lastCumulative.put(e.getKey(), m);
        }
        if (consecutiveFailures > 0) {
            Logger.info("meter {}: answers again after {} failed reads", id, consecutiveFailures);
        }
        consecutiveFailures = 0;
        backoffUntilMs = 0;
        if (problems.isEmpty()) {
            lastError = null;
        } else {
            lastError = String.join("; ", problems);
            Logger.warn("meter {}: {}", id, lastError);
        }
        lastGood = values;
        lastGoodMs = now;
        return new Sample(id, now, values, quality);
    }

    private Sample failure(long now, int bits, String message) {
        consecutiveFailures++;
        lastFailureBits = bits;
        lastError = message;
        long backoff = policy.backoffAfter(consecutiveFailures).toMillis();
        if (backoff > 0) {
            backoffUntilMs = now + backoff;
            Logger.warn("meter {}: {} ({} failures in a row; leaving it alone for {} ms)", id, message, consecutiveFailures, backoff);
        } else {
            Logger.warn("meter {}: {}", id, message);
        }
        return failed(now, bits, message);
    }

    private Sample failed(long now, int bits, String message) {
        if (lastGood != null && now - lastGoodMs <= policy.holdLastGood().toMillis()) {
            return new Sample(id, now, lastGood, bits | Quality.HELD);
        }
        return Sample.failed(id, now, bits);
    }

    /** Failed reads in a row (0 after a good read). */
    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    @Override
    public synchronized long backoffUntilMs() {
        return clock.millis() < backoffUntilMs ? backoffUntilMs : 0;
    }

    @Override
    public synchronized String lastError() {
        if (lastError != null && clock.millis() < backoffUntilMs) {
            return lastError + " (backing off, next try in " + (backoffUntilMs - clock.millis()) + " ms)";
        }
        return lastError;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    /** The last good values, for callers that print them. */
    public synchronized SortedMap<String, Measurement> lastGood() {
        return lastGood == null ? new TreeMap<>() : lastGood;
    }
}
