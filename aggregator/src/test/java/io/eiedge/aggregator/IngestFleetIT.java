package io.eiedge.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.aggregator.testsupport.FleetPublisher;
import io.eiedge.aggregator.testsupport.IngestProcess;
import io.eiedge.aggregator.testsupport.PostgresCluster;
import io.eiedge.aggregator.testsupport.SimulatedFleet;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Quality;
import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.ScaledValue;
import io.eiedge.runtime.testsupport.Mosquitto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator as an operator runs it: a real PostgreSQL cluster and a real mosquitto, 20
 * simulated devices (real chains, real registrar) publishing, three {@code eiedge ingest} child
 * JVMs sharing one subscription, one of them SIGKILLed mid-stream and started again.
 */
class IngestFleetIT {
    static final int DEVICES = 20;
    static final int READINGS = 120;
    static final String BROKER_CONFIG = "max_inflight_messages 1000\nmax_queued_messages 0\n";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private <T extends AutoCloseable> T keep(T t) {
        open.add(t);
        return t;
    }

    @Test
    void threeInstancesOneKilledStoreEveryReadingOnceCheckEveryRootAndRecordForgedRevokedAndConflictingReadings() throws Exception {
        long start = System.nanoTime();
        PostgresCluster pg = keep(PostgresCluster.start());
        lap(start, "postgres");
        String db = pg.createDatabase("fleet");
        Mosquitto broker = keep(Mosquitto.plain(dir.resolve("broker"), BROKER_CONFIG)).start();
        SimulatedFleet bed = keep(new SimulatedFleet(dir.resolve("fleet")));
        List<SimulatedFleet.Device> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String subnet = i < DEVICES / 2 ? "north" : "south";
            devices.add(bed.device(String.format("dev-%02d", i), subnet, i % 10 == 0 ? "exchange" : "router"));
        }
        SimulatedFleet.Device rogue = bed.device("rogue", "north", "router");
        Files.write(dir.resolve("crl.der"), bed.crl(1));
        lap(start, "fleet");
        FleetPublisher pub = keep(new FleetPublisher(broker.url("tcp")));
        for (SimulatedFleet.Device d : devices) pub.certificate(d);
        pub.certificate(rogue);
        byte[] crlRevokingRogue = bed.crl(2, rogue);
        pub.crl("north", crlRevokingRogue);

        List<IngestProcess> ingests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ingests.add(keep(new IngestProcess(dir.resolve("ingest"), "ingest-" + i, List.of("--broker", broker.url("tcp"), "--insecure",
                    "--root", bed.rootFile().toString(), "--crl", dir.resolve("crl.der").toString(), "--db", db,
                    "--share", "fleet", "--client-id", "ingest-" + i, "--batch", "100", "--verify-threads", "1")).start()));
        }
        for (IngestProcess p : ingests) p.awaitSubscribed(60_000);
        lap(start, "ingest up");

        // the fleet publishes; one instance dies by SIGKILL halfway and comes back
        Map<String, Map<Long, Hash32>> published = new TreeMap<>();
        Map<String, SignedReading> tenth = new HashMap<>();
        long t0 = System.currentTimeMillis() - READINGS * 60_000L;
        Map<String, List<SignedReading>> streams = new HashMap<>();
        for (SimulatedFleet.Device d : devices) {
            List<SignedReading> rs = d.read(t0, 60_000, READINGS, i -> 1_000_000 + i * 250L);
            streams.put(d.id, rs);
            for (SignedReading r : rs) published.computeIfAbsent(d.id, k -> new HashMap<>()).put(r.seq(), Hash32.sha256(r.cose().encoded()));
            tenth.put(d.id, rs.get(9));
        }
        for (int step = 0; step < READINGS; step++) {
            for (SimulatedFleet.Device d : devices) pub.streamed(d, streams.get(d.id).get(step));
            if (step == READINGS / 2) {
                ingests.get(1).kill();
                Thread.sleep(ThreadLocalRandom.current().nextInt(200, 1200));
                ingests.get(1).start().awaitSubscribed(60_000);
            }
        }
        pub.flush();
        lap(start, "published");
        int expectedHeaders = devices.stream().mapToInt(d -> d.headers.size()).sum();
        long expectedBlocks = devices.stream().flatMap(d -> d.headers.stream()).filter(h -> h.header().count() > 0).count();

        try (Connection c = pg.connect("fleet")) {
            awaitCount(c, "SELECT count(*) FROM reading", DEVICES * READINGS, ingests);
            awaitCount(c, "SELECT count(*) FROM header WHERE merkle <> 'pending' AND link <> 'pending'", expectedHeaders, ingests);

            lap(start, "stored");
            // a broker client injects: a tampered reading, one signed under a revoked certificate,
            // and a second, different reading for a seq a device already used (signed with its key)
            SimulatedFleet.Device victim = devices.get(3);
            SignedReading original = tenth.get(victim.id);
            byte[] tampered = original.cose().encoded().clone();
            tampered[tampered.length - 1] ^= 0x01;
            pub.raw(victim.topic("reading"), tampered);
            pub.reading(rogue, rogue.read(System.currentTimeMillis(), 1000, 1, i -> 5_000).get(0));
            SimulatedFleet.Device twoFaced = devices.get(12);
            SignedReading honest = tenth.get(twoFaced.id);
            Reading h = honest.reading();
            SignedReading second = SignedReading.sign(new Reading(h.deviceId(), h.meterId(), h.seq(), h.timeMs(), ClockStatus.SYNCHRONISED,
                    Reading.values(Map.of("1-0:1.8.0", new ScaledValue(1, -3, "Wh"))), Quality.GOOD), twoFaced.key);
            pub.reading(twoFaced, second);
            pub.reading(twoFaced, second); // a re-delivery of the evidence adds nothing
            pub.flush();
            awaitCount(c, "SELECT count(*) FROM verdict", 3, ingests);
            Thread.sleep(500); // a fourth verdict would be a defect; give it the chance to show

            // every reading every device chained, exactly once, byte for byte
            Map<String, Map<Long, Hash32>> stored = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT device, seq, digest FROM reading")) {
                while (rs.next()) {
                    stored.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), Hash32.of(rs.getBytes(3)));
                }
            }
            assertEquals(published, stored, "the store holds exactly what the devices chained");
            assertEquals(expectedHeaders, count(c, "SELECT count(*) FROM header"));
            assertEquals(expectedBlocks, count(c, "SELECT count(*) FROM header WHERE merkle = 'ok' AND count > 0"),
                    "every block's Merkle root checked against the stored readings");
            assertEquals(0, count(c, "SELECT count(*) FROM header WHERE merkle = 'mismatch' OR link <> 'ok'"));
            assertEquals(0, count(c, "SELECT count(*) FROM seq_gap"), "no seq missing");

            Map<String, String> verdicts = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT kind, device FROM verdict ORDER BY kind")) {
                while (rs.next()) verdicts.merge(rs.getString(1), rs.getString(2), (a, b) -> a + "," + b);
            }
            assertEquals(Map.of("equivocation", twoFaced.id, "forged", victim.id, "revoked", "rogue"), verdicts);
            try (PreparedStatement p = c.prepareStatement("SELECT cose, other_cose, number FROM verdict WHERE kind = 'equivocation'");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                assertArrayEquals(second.cose().encoded(), rs.getBytes(1), "the conflicting reading is kept as evidence");
                assertArrayEquals(honest.cose().encoded(), rs.getBytes(2), "with the stored one it contradicts");
                assertEquals(10, rs.getLong(3));
            }
        }
        for (IngestProcess p : ingests) {
            assertEquals(0, p.stop(), p.stderr());
            assertTrue(p.stdout().contains("ingest: "), p.stdout());
        }
    }

    private static void lap(long start, String what) {
        System.err.printf("IngestFleetIT: %s after %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void awaitCount(Connection c, String sql, long expected, List<IngestProcess> ingests) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        long n = -1;
        while (System.currentTimeMillis() < deadline) {
            n = count(c, sql);
            if (n >= expected) return;
            Thread.sleep(100);
        }
        StringBuilder logs = new StringBuilder();
        for (IngestProcess p : ingests) logs.append(p.stderr()).append('\n');
        throw new AssertionError(sql + ": " + n + ", expected " + expected + "\n" + logs);
    }
}
