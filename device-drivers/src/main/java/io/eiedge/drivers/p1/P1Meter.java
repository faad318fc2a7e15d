package io.eiedge.drivers.p1;

import io.eiedge.drivers.meter.Meter;
import io.eiedge.drivers.meter.Quality;
import io.eiedge.drivers.meter.Sample;
import io.eiedge.drivers.serial.SerialLine;
import org.tinylog.Logger;

import java.time.InstantSource;
import java.util.List;

/**
 * Reads a DSMR P1 port: a read takes the newest complete telegram that arrived since the last
 * read, or waits for the next one up to the timeout. A bad CRC, a truncated or oversized
 * telegram gives {@link Quality#COMM_ERROR} with no values; no telegram at all gives
 * {@link Quality#TIMEOUT}; a port that cannot be opened gives COMM_ERROR and is retried on the
 * next read.
 */
public final class P1Meter implements Meter {
    private final P1MeterConfig config;
    private final InstantSource clock;
    private final SerialLine line;
    private final TelegramFramer framer = new TelegramFramer();
    private final byte[] chunk = new byte[2048];
    private volatile String lastError;

    public P1Meter(P1MeterConfig config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.line = new SerialLine(config.device(), config.baud(), 8, SerialLine.Parity.NONE, 1);
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public Sample read() {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try {
            P1Telegram.Result newest = null;
            // what is already buffered first: take the newest telegram of it
            while (line.available() > 0) {
                int n = line.read(chunk, 0, chunk.length, deadline);
                newest = newestOf(framer.feed(chunk, n), newest);
            }
            while (newest == null) {
                int n = line.read(chunk, 0, chunk.length, deadline);
                if (n == 0) {
                    int pending = framer.pending();
                    framer.reset();
                    return pending > 0
                            ? fail(Quality.COMM_ERROR, "telegram truncated: " + pending + " bytes without the '!' end line within "
                            + config.timeout().toMillis() + " ms")
                            : fail(Quality.TIMEOUT, "no P1 telegram within " + config.timeout().toMillis()
                            + " ms (is the cable in the P1 port and the port enabled?)");
                }
                newest = newestOf(framer.feed(chunk, n), null);
            }
            return switch (newest) {
                case P1Telegram.Result.Good g -> {
                    lastError = null;
                    yield new Sample(config.id(), clock.millis(), g.values(), 0);
                }
                case P1Telegram.Result.Bad b -> fail(Quality.COMM_ERROR, b.reason());
            };
        } catch (SerialLine.LineFault e) {
            framer.reset();
            return fail(Quality.COMM_ERROR, e.getMessage());
        }
    }

    private static P1Telegram.Result newestOf(List<P1Telegram.Result> results, P1Telegram.Result previous) {
        return results.isEmpty() ? previous : results.getLast();
    }

    private Sample fail(int quality, String why) {
        if (!why.equals(lastError)) Logger.warn("meter {}: {}", config.id(), why);
        lastError = why;
        return Sample.failed(config.id(), clock.millis(), quality);
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        line.close();
    }
}
