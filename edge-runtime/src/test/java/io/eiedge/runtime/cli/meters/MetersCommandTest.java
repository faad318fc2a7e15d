package io.eiedge.runtime.cli.meters;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.eiedge.drivers.modbus.WordOrder;
import io.eiedge.runtime.cli.MetersCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The technician's commands against j2mod's Modbus TCP slave on a loopback ephemeral port. */
class MetersCommandTest {
    private ModbusSlave slave;
    private int port;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SimpleProcessImage sdm = new SimpleProcessImage(3);
        for (int a = 0; a < 0x60; a++) {
            sdm.addInputRegister(new SimpleInputRegister(0));
        }
        putFloat(sdm, 0x00, 230.1f);
        putFloat(sdm, 0x46, 50f);
        putFloat(sdm, 0x48, 1234.5f);
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 2, false);
        slave.addProcessImage(3, sdm);
        slave.open();
    }

    private static void putFloat(SimpleProcessImage p, int address, float f) {
        int[] w = WordOrder.ABCD.split(Float.floatToIntBits(f) & 0xFFFF_FFFFL, 2);
        p.setInputRegister(address, new SimpleInputRegister(w[0]));
        p.setInputRegister(address + 1, new SimpleInputRegister(w[1]));
    }

    @AfterEach
    void stop() {
        ModbusSlaveFactory.close(slave);
    }

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new MetersCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void readPrintsOneLinePerValueWithObisNameAndUnit() {
        int code = run("read", "--modbus-tcp", "127.0.0.1:" + port, "--unit", "3", "--profile", "sdm630");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("verdict ANSWERS - 14 values"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("1-0:32.7.0") && l.contains("voltage L1") && l.endsWith("230.1 V")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("1-0:1.8.0") && l.contains("active energy import total") && l.endsWith("1234500 Wh")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("1-0:14.7.0") && l.endsWith("50 Hz")), text);
    }

    @Test
    void readOfAnAbsentUnitSaysWhy() {
        int code = run("read", "--modbus-tcp", "127.0.0.1:" + port, "--unit", "9", "--profile", "sdm120", "--timeout", "200");
        String text = out.toString();
        assertEquals(1, code, text);
        assertTrue(text.contains("verdict TIMEOUT") || text.contains("verdict ERROR"), text);
    }

    @Test
    void readWithATechnicianMap(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("mine.yaml");
        Files.writeString(map, """
                name: mine
                registers:
                  - obis: 1-0:32.7.0
                    register-type: input
                    address: 0
                    data-type: float32
                    unit: V
                  - obis: 1-0:1.8.0
                    register-type: input
                    address: 0x48
                    data-type: float32
                    scaler: 3
                    unit: Wh
                """);
        assertEquals(0, run("read", "--modbus-tcp", "127.0.0.1:" + port, "--unit", "3", "--map", map.toString()), out + "" + err);
        assertTrue(out.toString().contains("verdict ANSWERS - 2 values"), out.toString());
        Files.writeString(map, "name: bad\nregisters:\n  - obis: 1-0:1.8.0\n    register-type: coil\n    address: 0\n    data-type: int16\n    unit: Wh\n");
        assertEquals(2, run("read", "--modbus-tcp", "127.0.0.1:" + port, "--unit", "3", "--map", map.toString()));
        assertTrue(err.toString().contains("registers[0]: register type 'coil'"), err.toString());
    }

    private Path config(Path dir, String meters) throws Exception {
        return Files.writeString(dir.resolve("eiedge.yaml"), "device:\n  id: router-04\n  subnet: sub-a\n  role: router\n"
                + "identity:\n  dir: " + dir.resolve("identity") + "\nmeters:\n" + meters
                + "ledger:\n  data-dir: " + dir.resolve("data") + "\nmqtt:\n  broker: ssl://broker.example:8883\n");
    }

    private String wiredMeters() {
        return "  - id: grid\n    type: modbus-tcp\n    host: 127.0.0.1\n    port: " + port + "\n    unit-id: 3\n    profile: sdm630\n"
                + "  - id: pv\n    type: simulated\n    kind: pv\n    seed: 2\n    peak-power: 4kW\n"
                + "  - id: attic\n    type: modbus-tcp\n    host: 127.0.0.1\n    port: " + port + "\n    unit-id: 9\n    profile: sdm120\n"
                + "    timeout: 200ms\n    retries: 0\n";
    }

    @Test
    void checkReadsEveryConfiguredMeterOnceAndSaysWhichDoNotAnswer(@TempDir Path dir) throws Exception {
        Path file = config(dir, wiredMeters());
        int code = run("check", "--config", file.toString());
        String text = out.toString();
        assertEquals(1, code, text + err);
        assertTrue(text.contains("meter   grid: Modbus TCP 127.0.0.1:" + port + " unit 3, profile sdm630"), text);
        assertTrue(text.contains("verdict ANSWERS - 14 values"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("1-0:1.8.0") && l.endsWith("1234500 Wh")), text);
        assertTrue(text.contains("meter   pv: simulated pv"), text);
        assertTrue(text.contains("meter   attic: Modbus TCP 127.0.0.1:" + port + " unit 9"), text);
        String attic = text.substring(text.indexOf("meter   attic"));
        assertTrue(attic.contains("verdict TIMEOUT") || attic.contains("verdict ERROR"), text);
        assertTrue(text.contains("2 of 3 meter(s) answer"), text);
        assertTrue(Files.notExists(dir.resolve("data")), "a check writes nothing into the daemon's data folder");
    }

    @Test
    void checkOfNamedMetersReadsOnlyThose(@TempDir Path dir) throws Exception {
        Path file = config(dir, wiredMeters());
        assertEquals(0, run("check", "--config", file.toString(), "grid", "pv"), out + "" + err);
        assertTrue(out.toString().contains("2 of 2 meter(s) answer"), out.toString());
        assertTrue(!out.toString().contains("attic"), out.toString());
    }

    @Test
    void checkRefusesAnUnknownMeterIdAndABrokenConfigWithoutReadingAnything(@TempDir Path dir) throws Exception {
        Path file = config(dir, wiredMeters());
        assertEquals(2, run("check", "--config", file.toString(), "gird"));
        assertTrue(err.toString().contains("no meter 'gird' in " + file + " (it has: grid, pv, attic)"), err.toString());
        assertEquals("", out.toString());

        Files.writeString(file, Files.readString(file).replace("profile: sdm630", "profile: sdm63O"));
        assertEquals(2, run("check", "--config", file.toString()));
        assertTrue(err.toString().contains(file + ":13:14: meters[0].profile"), err.toString());
        assertTrue(err.toString().contains("sdm63O"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void scanListsTheAnsweringUnits() {
        int code = run("scan", "--modbus-tcp", "127.0.0.1:" + port, "--from", "1", "--to", "4", "--timeout", "150");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("unit   3  answers"), text);
    }

    @Test
    void badTargetsAreRefusedClearly() {
        assertEquals(2, run("read", "--modbus-tcp", "127.0.0.1", "--unit", "1", "--profile", "sdm630"));
        assertTrue(err.toString().contains("must be HOST:PORT"), err.toString());
        assertEquals(2, run("read", "--modbus-tcp", "127.0.0.1:" + port, "--unit", "1", "--profile", "sdm999"));
        assertTrue(err.toString().contains("meter profile 'sdm999' is unknown"), err.toString());
    }

    @Test
    void profilesListsEveryModelWithItsMakerAndSourceDocument() {
        assertEquals(0, run("profiles"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("abb-b23") && text.contains("ABB") && text.contains("2CMC485003M0201"), text);
        assertTrue(text.contains("cg-em340") && text.contains("Version 2 Revision 17"), text);
        assertTrue(text.contains("sunspec"), text);
        assertTrue(text.contains(io.eiedge.drivers.modbus.Profiles.LIBRARY.all().size() + " model profiles"), text);
    }

    @Test
    void profilesWithANameShowsItsRegistersAndAnUnknownNameIsRefused() {
        assertEquals(0, run("profiles", "abb-b23"), err.toString());
        assertTrue(out.toString().contains("1-0:1.8.0   holding 20480 (0x5000) int64   ABCD x10^1 Wh"), out.toString());
        assertEquals(2, run("profiles", "abb-b99"));
        assertTrue(err.toString().contains("meter profile 'abb-b99' is unknown"), err.toString());
    }

    @Test
    void readWithALibraryProfileOfTheSameLayout() {
        assertEquals(0, run("read", "--modbus-tcp", "127.0.0.1:" + port, "--unit", "3", "--profile", "sdm230"), err.toString());
        assertTrue(out.toString().contains("profile sdm230"), out.toString());
        assertTrue(out.toString().contains("1234.5 kWh") || out.toString().contains("1234500 Wh"), out.toString());
    }
}
