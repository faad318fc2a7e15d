package io.eiedge.bench.footprint;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the footprint bench reads from /proc, strace, jcmd and config check, and the ratios it prints. */
class FootprintParsingTest {

    @Test
    void theStraceSummaryGivesCallsPerSyscallWhetherOrNotTheErrorsColumnIsFilled() {
        String summary = """
                % time     seconds  usecs/call     calls    errors syscall
                ------ ----------- ----------- --------- --------- ----------------
                 78.63    0.035645        1980        18           fsync
                 19.34    0.008768         257        34           fdatasync
                  2.03    0.000918          65        14         2 rename
                ------ ----------- ----------- --------- --------- ----------------
                100.00    0.045331         686        66         2 total
                """;
        SyscallCounts c = SyscallCounts.parse(summary);
        assertEquals(Map.of("fsync", 18L, "fdatasync", 34L, "rename", 14L), c.calls());
        assertEquals(52, c.fsyncClass());
        assertEquals(14, c.renames());
        assertEquals(0, SyscallCounts.parse("% time     seconds  usecs/call     calls    errors syscall\n").fsyncClass(),
                "a window without any traced call counts zero");
    }

    @Test
    void heapAfterGcSumsTheSerialCollectorsGenerationsAndLeavesMetaspaceOut() {
        String serial = """
                12345:
                 def new generation   total 4928K, used 1034K [0x00000000fc000000, 0x00000000fc550000, 0x00000000fd550000)
                  eden space 4416K,  23% used [0x00000000fc000000, 0x00000000fc102a98, 0x00000000fc450000)
                 tenured generation   total 10944K, used 6612K [0x00000000fd550000, 0x00000000fe000000, 0x0000000100000000)
                 Metaspace       used 21000K, committed 21504K, reserved 1114112K
                  class space    used 2400K, committed 2560K, reserved 1048576K
                """;
        assertEquals(new HeapInfo(1034 + 6612, 4928 + 10944), HeapInfo.parse(serial));
        assertEquals(new HeapInfo(20480, 65536), HeapInfo.parse(" garbage-first heap   total 65536K, used 20480K [0x…)\n"));
        assertThrows(IllegalArgumentException.class, () -> HeapInfo.parse("12345:\nCould not attach\n"));
    }

    @Test
    void procStatFieldsAreCountedFromTheLastParenthesisSoAThreadNameWithSpacesAndParenthesesParses() {
        String stat = "4711 (CoapServer(main)#1) S 1 4711 4711 0 -1 4194368 1234 0 0 0 250 37 5 2 20 0 41 0 99 0 0";
        assertArrayEquals(new long[]{250, 37, 5, 2}, ProcFs.times(stat));
        assertEquals("CoapServer(main)#1", ProcFs.comm(stat));
        assertEquals(131072, ProcFs.statusField("Name:\tjava\nVmHWM:\t  140000 kB\nVmRSS:\t  131072 kB\nThreads:\t37\n", "VmRSS"));
        assertEquals(37, ProcFs.statusField("VmRSS:\t  131072 kB\nThreads:\t37\n", "Threads"));
    }

    @Test
    void threadsAreReportedByTheirJavaNamesWithMeterNumbersFoldedAndTheBusiestFirst() {
        Map<Long, ProcFs.ThreadTicks> before = Map.of(
                1L, new ProcFs.ThreadTicks("appender-bench-", 100),
                2L, new ProcFs.ThreadTicks("meter-m00", 10),
                3L, new ProcFs.ThreadTicks("meter-m01", 10),
                4L, new ProcFs.ThreadTicks("C2 CompilerThre", 500));
        Map<Long, ProcFs.ThreadTicks> after = Map.of(
                1L, new ProcFs.ThreadTicks("appender-bench-", 130),
                2L, new ProcFs.ThreadTicks("meter-m00", 12),
                3L, new ProcFs.ThreadTicks("meter-m01", 13),
                4L, new ProcFs.ThreadTicks("C2 CompilerThre", 540),
                5L, new ProcFs.ThreadTicks("C1 CompilerThre", 7)); // started inside the window
        String dump = """
                "appender-bench-node" #35 [1] daemon prio=5 os_prio=0 cpu=1300.00ms elapsed=151.20s tid=0x00007f nid=1 waiting on condition
                "C2 CompilerThread0" #20 [4] daemon prio=9 os_prio=0 cpu=5400.00ms elapsed=152.00s tid=0x00007e nid=0x4 runnable
                """;
        Map<Long, String> names = ThreadReport.javaNames(dump);
        assertEquals(Map.of(1L, "appender-bench-node", 4L, "C2 CompilerThread0"), names);
        assertEquals(List.of(new ThreadReport.Row("C2 CompilerThread#", 1, 40), new ThreadReport.Row("appender-bench-node", 1, 30),
                        new ThreadReport.Row("C1 CompilerThre", 1, 7), new ThreadReport.Row("meter-m#", 2, 5)),
                ThreadReport.rows(before, after, names));
    }

    @Test
    void ratiosUseIssue11sLimitsForTheSyncIntervalAndNoneWhereTheIssuesSetNone() {
        assertEquals(Optional.of(1536.0), FootprintLimits.bytesPerReading(Duration.ofSeconds(1)));
        assertEquals(Optional.of(300.0), FootprintLimits.bytesPerReading(Duration.ofSeconds(10)));
        assertEquals(Optional.empty(), FootprintLimits.bytesPerReading(Duration.ofSeconds(5)));
        assertEquals(Optional.empty(), FootprintLimits.fsyncsPerSecond(Duration.ofSeconds(10)));
        assertEquals("3.73", FootprintLimits.ratio(5734, FootprintLimits.bytesPerReading(Duration.ofSeconds(1))));
        assertEquals("—", FootprintLimits.ratio(5734, Optional.empty()));
    }

    @Test
    void optionsDefaultToTheIssuesRunAndABadValueIsRefusedNamingTheOption() {
        FootprintOptions d = FootprintOptions.parse();
        assertEquals(4, d.meters());
        assertEquals(Duration.ofSeconds(90), d.warmup());
        assertEquals(Duration.ofSeconds(60), d.window());
        assertEquals(Optional.empty(), d.syncInterval(), "no --sync-interval: the key stays out of the config");
        assertEquals(Duration.ofSeconds(1), d.effectiveSyncInterval());
        FootprintOptions o = FootprintOptions.parse("--meters", "32", "--warmup", "5s", "--window", "10s", "--sync-interval", "10s",
                "--coap", "off", "--web", "on");
        assertEquals(32, o.meters());
        assertEquals(Duration.ofSeconds(10), o.effectiveSyncInterval());
        assertEquals(Optional.of(true), o.web());
        assertTrue(!o.coap());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FootprintOptions.parse("--window", "1 minute"));
        assertTrue(bad.getMessage().startsWith("--window: expected a duration"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FootprintOptions.parse("--meters", "0"));
        assertThrows(IllegalArgumentException.class, () -> FootprintOptions.parse("--coap", "maybe"));
    }

    @Test
    void aConfigCheckRefusingTheSyncIntervalKeyNamesTheBenchOptionThatWroteIt() {
        String refused = """
                /var/tmp/x/eiedge.yaml:16:3: ledger.sync-interval: unknown key; expected one of data-dir, block, retention
                /var/tmp/x/eiedge.yaml:22:1: web: unknown key; expected one of device, identity, meters, ledger, mqtt, coap, logging
                /var/tmp/x/eiedge.yaml: 2 errors
                """;
        assertEquals(List.of("--sync-interval (ledger.sync-interval)", "--web (web)"), BenchConfig.unsupportedOptions(refused));
        assertEquals(List.of(), BenchConfig.unsupportedOptions("/var/tmp/x/eiedge.yaml:3:7: device.id: expected letters, found ' '"));
    }
}
