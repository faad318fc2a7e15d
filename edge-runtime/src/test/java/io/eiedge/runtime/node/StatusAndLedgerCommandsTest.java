package io.eiedge.runtime.node;

import io.eiedge.drivers.MeterFactory;
import io.eiedge.runtime.cli.EiedgeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a technician types at a node: status while it runs, ledger verify and show on its data folder. */
class StatusAndLedgerCommandsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    private static Run eiedge(String... args) {
        PrintStream saved = System.out;
        var buffer = new java.io.ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true)) {
            System.setOut(capture);
            int exit = new CommandLine(new EiedgeCli()).execute(args);
            return new Run(exit, buffer.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void statusShowsARunningNodeAndLedgerVerifyCatchesATamperedReading() throws Exception {
        TestDevices devices = new TestDevices(dir);
        var router = devices.issue("router-05", "router");
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // no broker: the node must run and read regardless
        }
        var config = devices.config(router, "router", "tcp://127.0.0.1:" + deadPort, """
                  - id: pv
                    type: simulated
                    kind: pv
                    seed: 9
                    peak-power: 4kW
                    poll-interval: 100ms
                """, "1s");
        Path data = config.ledger().dataDir();
        Path root = dir.resolve("root.pem");
        Files.writeString(root, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(devices.root.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        try (MeterFactory meters = TestDevices.meterFactory(dir);
             EdgeNode node = EdgeNode.start(config, router.identity(), meters, Clock.systemUTC())) {
            Thread.sleep(3000);
            Run status = eiedge("status", "--data", data.toString());
            assertEquals(0, status.exit(), status.out());
            assertTrue(status.out().contains("router-05") && status.out().contains("NOT CONNECTED"), status.out());
            assertTrue(status.out().matches("(?s).*pv\\s+simulated.*"), status.out());

            Run verify = eiedge("ledger", "verify", "--data", data.toString(), "--root", root.toString());
            assertEquals(0, verify.exit(), "a running node's chain verifies:\n" + verify.out());
            assertTrue(verify.out().contains("VERIFIED") && verify.out().contains("checked against the registrar root"), verify.out());
        }
        Run show = eiedge("ledger", "show", "--data", data.toString());
        assertEquals(0, show.exit(), show.out());
        assertTrue(show.out().contains("pv/1-0:2.8.0"), "the energy summary is shown:\n" + show.out());

        Path segment;
        try (var files = Files.list(data.resolve("chain").resolve("readings"))) {
            segment = files.sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[60] ^= 0x01; // inside the first reading: the CRC catches it, the chain no longer verifies
        Files.write(segment, bytes);
        Run broken = eiedge("ledger", "verify", "--data", data.toString(), "--root", root.toString());
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.out().contains("NOT VERIFIED") && broken.out().contains("PROBLEM"), broken.out());

        Run stopped = eiedge("status", "--data", data.toString());
        assertEquals(3, Math.max(stopped.exit(), 0) == 0 ? waitAndRetry(data) : stopped.exit(),
                "a stopped node's status says so once the file is stale");
    }

    private static int waitAndRetry(Path data) throws InterruptedException {
        Thread.sleep(11_000); // the status file goes stale after 10 s
        return eiedge("status", "--data", data.toString()).exit();
    }
}
