package io.eiedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eiedge.runtime.config.MeterConnection.RegisterSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            device: {id: router-07, subnet: lab, role: router}
            meters:
              - {id: pv, type: simulated, kind: pv}
            mqtt: {broker: "ssl://broker.lab:8883"}
            """;

    @Test
    void shippedExampleIsValidAndReadAsWritten() throws Exception {
        EiedgeConfig c = ConfigLoader.parse(ConfigErrorsTest.resource("/eiedge.example.yaml"), "eiedge.example.yaml");
        assertEquals(new DeviceConfig("router-07", "campus-north", DeviceConfig.Role.ROUTER), c.device());
        assertEquals(List.of("grid", "heatpump", "pv", "ev-charger", "battery-sim"),
                c.meters().stream().map(MeterConfig::id).toList());
        assertEquals(List.of(MeterConfig.Type.MODBUS_TCP, MeterConfig.Type.MODBUS_RTU, MeterConfig.Type.SUNSPEC,
                MeterConfig.Type.S0, MeterConfig.Type.SIMULATED), c.meters().stream().map(MeterConfig::type).toList());
        var rtu = assertInstanceOf(MeterConnection.ModbusRtu.class, c.meters().get(1).connection());
        var regs = assertInstanceOf(RegisterSource.Inline.class, rtu.registers()).registers();
        assertEquals(new MeterConnection.RegisterSpec(0x0156, MeterConnection.RegisterType.INPUT,
                MeterConnection.DataType.FLOAT32, MeterConnection.WordOrder.ABCD, 0, "1-0:1.8.0", "Wh"), regs.get(0));
        assertEquals(Duration.ofSeconds(5), c.meters().get(1).pollInterval());
        var sim = assertInstanceOf(MeterConnection.Simulated.class, c.meters().get(4).connection());
        assertEquals(3000.0, sim.peakPowerWatts());
        assertEquals(URI.create("ssl://broker.example.net:8883"), c.mqtt().broker());
        assertEquals(2, c.coap().peers().size());
        assertEquals(WebConfig.defaults(), c.web());
    }

    @Test
    void absentSectionsAndKeysTakeTheDocumentedDefaults() throws Exception {
        EiedgeConfig c = ConfigLoader.parse(MINIMAL, "minimal.yaml");
        assertEquals(Duration.ofSeconds(1), c.meters().get(0).pollInterval());
        assertEquals(LedgerConfig.defaults(), c.ledger());
        assertEquals(Path.of("/var/lib/eiedge"), c.ledger().dataDir());
        assertEquals(4096, c.ledger().blockMaxReadings());
        assertEquals(Duration.ofSeconds(300), c.ledger().blockMaxAge());
        assertEquals(Duration.ofDays(30), c.ledger().retention());
        assertEquals("ei/v1", c.mqtt().topicPrefix());
        assertFalse(c.mqtt().insecure());
        assertEquals(5684, c.coap().port());
        assertFalse(c.coap().multicast(), "multicast discovery is opt-in");
        assertEquals(LoggingConfig.defaults(), c.logging());
        assertEquals(java.util.Optional.of(new java.net.InetSocketAddress("127.0.0.1", 8080)), c.web().listen(),
                "the status page is on, for this device only");
        assertEquals(new IdentityConfig(Path.of("/etc/eiedge/identity"), java.util.Optional.empty()), c.identity());
    }

    @Test
    void anEmptyWebListenTurnsThePageOffAndALanAddressWithTlsAndClientCertificatesIsRead() throws Exception {
        assertTrue(ConfigLoader.parse(MINIMAL + "web:\n  listen: \"\"\n", "off.yaml").web().listen().isEmpty());
        WebConfig lan = ConfigLoader.parse(MINIMAL + "web:\n  listen: 192.168.1.10:8443\n  tls: true\n  require-client-cert: true\n",
                "lan.yaml").web();
        assertEquals(new WebConfig(java.util.Optional.of(new java.net.InetSocketAddress("192.168.1.10", 8443)), true, true,
                WebConfig.DEFAULT_MAX_CONNECTIONS), lan);
        assertEquals(8080, ConfigLoader.parse(MINIMAL + "web: {listen: \"[::1]:8080\"}\n", "v6.yaml").web().listen().orElseThrow().getPort());
    }

    @Test
    void multicastDiscoveryIsAYesOrNo() throws Exception {
        assertTrue(ConfigLoader.parse(MINIMAL + "coap: {multicast: true}\n", "on.yaml").coap().multicast());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(MINIMAL + "coap: {multicast: sometimes}\n", "bad.yaml"));
        assertTrue(e.getMessage().contains("bad.yaml:5:") && e.getMessage().contains("coap.multicast: expected true or false, found \"sometimes\""),
                e.getMessage());
    }

    @Test
    void plainTcpIsAcceptedOnlyWithTheInsecureFlag() throws Exception {
        String insecure = MINIMAL.replace("mqtt: {broker: \"ssl://broker.lab:8883\"}",
                "mqtt: {broker: \"tcp://127.0.0.1:1883\", insecure: true}");
        EiedgeConfig c = ConfigLoader.parse(insecure, "insecure.yaml");
        assertTrue(c.mqtt().insecure());
        assertEquals("tcp", c.mqtt().broker().getScheme());
    }

    @Test
    void valuesWithUnitsAreConverted() throws Exception {
        String yaml = MINIMAL + """
                ledger:
                  block: {max-readings: 100, max-age: 2m}
                  retention: {readings: 7d, max-size: 512MiB}
                logging: {level: debug, file: /tmp/x.log, rolling-size: 1MB, keep: 5}
                """;
        EiedgeConfig c = ConfigLoader.parse(yaml, "units.yaml");
        assertEquals(Duration.ofMinutes(2), c.ledger().blockMaxAge());
        assertEquals(Duration.ofDays(7), c.ledger().retention());
        assertEquals(512L * 1024 * 1024, c.ledger().retentionMaxBytes().getAsLong());
        assertEquals(1_000_000L, c.logging().rollingSize());
        assertEquals(LoggingConfig.Level.DEBUG, c.logging().level());
    }

    @Test
    void aMeterWithAnUnknownTypeStillHasItsOtherProblemsReported() {
        String yaml = """
                device: {id: router-07, subnet: lab, role: router}
                meters:
                  - {id: "a b", type: modbus}
                  - {id: ok, type: simulated, kind: sun}
                mqtt: {broker: "ssl://broker.lab:8883", keepalive: 1s}
                """;
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "f.yaml"));
        assertEquals(List.of("meters[0].id", "meters[0].type", "meters[1].kind", "mqtt.keepalive"),
                e.errors().stream().map(ConfigError::keyPath).toList());
    }
}
