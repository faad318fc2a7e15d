package io.eiedge.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eiedge.aggregator.testsupport.FleetPublisher;
import io.eiedge.aggregator.testsupport.IngestProcess;
import io.eiedge.aggregator.testsupport.PostgresCluster;
import io.eiedge.aggregator.testsupport.SimulatedFleet;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.runtime.cli.EiedgeCli;
import io.eiedge.runtime.testsupport.Mosquitto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code eiedge report energy} over a simulated day that {@code ingest} stored: two meters whose
 * energy per 5-minute step is known exactly, one reading never delivered.
 */
class EnergyReportIT {
    static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");
    static final long STEP = 300_000; // a reading every 5 minutes
    static final int STEPS = 24 * 12 + 1;
    static final int MISSING_STEP = 40; // 03:20, inside the interval 03:15..03:30

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    /** Wh the meter of device {@code d} counted in step i → i+1: an uneven but exactly known profile. */
    static long stepWh(int d, int i) {
        return 50 + (i % 7) * 10 + d * 5;
    }

    static long milliWh(int d, int i) {
        long e = 1_000_000;
        for (int k = 0; k < i; k++) e += stepWh(d, k) * 1000;
        return e;
    }

    @Test
    void energyPerFifteenMinutesIsExactAndTheIntervalWithAMissingReadingIsPartial() throws Exception {
        PostgresCluster pg = keep(PostgresCluster.start());
        String db = pg.createDatabase("day");
        Mosquitto broker = keep(Mosquitto.plain(dir.resolve("broker"), IngestFleetIT.BROKER_CONFIG)).start();
        SimulatedFleet fleet = keep(new SimulatedFleet(dir.resolve("fleet")));
        List<SimulatedFleet.Device> devices = List.of(fleet.device("meter-a", "day", "router"), fleet.device("meter-b", "day", "exchange"));
        Files.write(dir.resolve("crl.der"), fleet.crl(1));
        FleetPublisher pub = keep(new FleetPublisher(broker.url("tcp")));
        for (SimulatedFleet.Device d : devices) pub.certificate(d);
        IngestProcess ingest = keep(new IngestProcess(dir.resolve("ingest"), "ingest", List.of("--broker", broker.url("tcp"), "--insecure",
                "--root", fleet.rootFile().toString(), "--crl", dir.resolve("crl.der").toString(), "--db", db, "--client-id", "day")).start());
        ingest.awaitSubscribed(60_000);
        for (int d = 0; d < devices.size(); d++) {
            int dd = d;
            List<SignedReading> rs = devices.get(d).read(DAY.toEpochMilli(), STEP, STEPS, i -> milliWh(dd, (int) i));
            for (int i = 0; i < rs.size(); i++) {
                if (d == 0 && i == MISSING_STEP) pub.headersUpTo(devices.get(d), rs.get(i).seq()); // the reading is lost on the way
                else pub.streamed(devices.get(d), rs.get(i));
            }
        }
        pub.flush();
        try (Connection c = pg.connect("day")) {
            IngestFleetIT.awaitCount(c, "SELECT count(*) FROM reading", 2L * STEPS - 1, List.of(ingest));
        }

        StringWriter out = new StringWriter();
        CommandLine cli = EiedgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int status = cli.execute("report", "energy", "--db", db, "--subnet", "day", "--from", "2026-12-01", "--to", "2026-12-02",
                "--interval", "15m", "--csv");
        assertEquals(0, status, out.toString());
        Map<String, String[]> rows = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.split(",", -1);
            if (f[0].equals("start")) continue;
            rows.put(f[0] + " " + f[2] + " " + f[4], f);
        }
        assertEquals(96 * 3, rows.size(), "96 intervals for two meters and the subnet total:\n" + out);
        for (int k = 0; k < 96; k++) {
            String start = DAY.plusMillis(k * 3 * STEP).toString();
            long total = 0;
            for (int d = 0; d < 2; d++) {
                long wh = stepWh(d, 3 * k) + stepWh(d, 3 * k + 1) + stepWh(d, 3 * k + 2);
                total += wh;
                String[] f = rows.get(start + " " + devices.get(d).id + " 1-0:1.8.0");
                assertEquals(0, new BigDecimal(wh).compareTo(new BigDecimal(f[6])), start + " " + devices.get(d).id + ": " + String.join(",", f));
                String expected = d == 0 && k == MISSING_STEP / 3 ? "partial" : "complete";
                assertEquals(expected, f[7], start + " " + devices.get(d).id + ": " + String.join(",", f));
            }
            String[] t = rows.get(start + " * 1-0:1.8.0");
            assertEquals(0, new BigDecimal(total).compareTo(new BigDecimal(t[6])), "subnet total " + String.join(",", t));
            assertEquals(k == MISSING_STEP / 3 ? "partial" : "complete", t[7]);
        }
        assertEquals(0, ingest.stop(), ingest.stderr());
    }

    private <T extends AutoCloseable> T keep(T t) {
        open.add(t);
        return t;
    }
}
