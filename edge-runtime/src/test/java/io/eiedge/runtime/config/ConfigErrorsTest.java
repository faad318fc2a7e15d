package io.eiedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each broken file in src/test/resources/config/broken gets exactly the messages a technician would read. */
class ConfigErrorsTest {

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("syntax-error.yaml", List.of(
                        "syntax-error.yaml:4:2: yaml: syntax error: expected <block end>, but found "
                                + "'<block mapping start>' (check the indentation)")),
                Arguments.of("empty.yaml", List.of(
                        "empty.yaml:1:1: yaml: the file is empty; expected a mapping with device, meters and mqtt sections")),
                Arguments.of("missing-device.yaml", List.of(
                        "missing-device.yaml:1:1: device: required section is missing")),
                Arguments.of("unknown-key-typo.yaml", List.of(
                        "unknown-key-typo.yaml:9:5: meters[0].pol-interval: unknown key; did you mean \"poll-interval\"?")),
                Arguments.of("timeout-too-long.yaml", List.of(
                        "timeout-too-long.yaml:10:14: meters[0].timeout: expected from 10ms to 10s, found 20s",
                        "timeout-too-long.yaml:11:14: meters[0].retries: expected an integer from 0 to 5, found 10",
                        "timeout-too-long.yaml:15:15: meters[1].debounce: expected from 0s to 30ms, found 50ms",
                        "timeout-too-long.yaml:20:11: meters[2].baud: expected one of 1200, 2400, 4800, 9600, 19200, "
                                + "38400, 57600, 115200, 230400, 460800, 921600, found 10000")),
                Arguments.of("unknown-profile.yaml", List.of(
                        "unknown-profile.yaml:9:14: meters[0].profile: expected a profile of the library "
                                + "(eiedge meters profiles lists them), found \"abb-b233\"; did you mean \"abb-b23\"?")),
                Arguments.of("type-mismatch.yaml", List.of(
                        "type-mismatch.yaml:9:11: meters[0].port: expected an integer from 1 to 65535, found \"five-oh-two\"")),
                Arguments.of("out-of-range.yaml", List.of(
                        "out-of-range.yaml:9:11: meters[0].port: expected an integer from 1 to 65535, found 70000")),
                Arguments.of("bad-enum.yaml", List.of(
                        "bad-enum.yaml:4:9: device.role: expected one of router, exchange, interface, found \"gateway\"")),
                Arguments.of("duplicate-meter-id.yaml", List.of(
                        "duplicate-meter-id.yaml:12:9: meters[2].id: duplicate meter id \"pv\" (first defined at line 6)")),
                Arguments.of("bad-obis.yaml", List.of(
                        "bad-obis.yaml:12:15: meters[0].registers[0].obis: expected an OBIS code A-B:C.D.E with numbers "
                                + "0-255, such as 1-0:1.8.0, found \"1.8.0\"")),
                Arguments.of("tcp-without-insecure.yaml", List.of(
                        "tcp-without-insecure.yaml:7:11: mqtt.broker: plain tcp:// needs mqtt.insecure: true; expected "
                                + "a broker URL such as ssl://broker.example:8883, found \"tcp://localhost:1883\"")),
                Arguments.of("key-of-other-type.yaml", List.of(
                        "key-of-other-type.yaml:10:5: meters[0].gpio-pin: key does not apply here (it is for s0 meters)")),
                Arguments.of("duration-without-unit.yaml", List.of(
                        "duration-without-unit.yaml:9:20: meters[0].poll-interval: expected a duration such as 500ms, "
                                + "1s, 5m or 30d, found 5")),
                Arguments.of("profile-and-registers.yaml", List.of(
                        "profile-and-registers.yaml:11:7: meters[0].registers: expected either profile or registers, found both")),
                Arguments.of("reconnect-max-below-min.yaml", List.of(
                        "reconnect-max-below-min.yaml:10:10: mqtt.reconnect.max: expected at least reconnect.min (30s), found 5s")),
                Arguments.of("web-errors.yaml", List.of(
                        "web-errors.yaml:9:11: web.listen: expected a numeric address (the listener binds one address, not a name), "
                                + "found \"localhost:8080\"",
                        "web-errors.yaml:10:24: web.require-client-cert: a client certificate is asked for in the TLS handshake, "
                                + "so this needs web.tls: true; found tls off",
                        "web-errors.yaml:11:20: web.max-connections: expected an integer from 1 to 64, found 0")),
                Arguments.of("web-bad-port.yaml", List.of(
                        "web-bad-port.yaml:9:11: web.listen: expected a port from 1 to 65535, found \"192.168.1.10:99999\"")),
                Arguments.of("duplicate-yaml-key.yaml", List.of(
                        "duplicate-yaml-key.yaml:5:3: device.id: duplicate key (first at line 2)")),
                Arguments.of("many-errors.yaml", List.of(
                        "many-errors.yaml:2:7: device.id: expected an id of letters, digits, '-', '_' or '.' "
                                + "(at most 63 characters), found \"router/07\"",
                        "many-errors.yaml:7:11: meters[0].type: expected one of modbus-tcp, modbus-rtu, sunspec, s0, "
                                + "simulated, p1, found \"modbus-tpc\"; did you mean \"modbus-tcp\"?",
                        "many-errors.yaml:12:17: meters[1].peak-power: expected a power such as 800W or 5kW, found \"lots\"",
                        "many-errors.yaml:15:19: ledger.block.max-readings: expected an integer from 1 to 1000000, found 0",
                        "many-errors.yaml:21:15: mqtt.drain-rate: expected a number greater than 0 and at most 100000, found 0",
                        "many-errors.yaml:22:13: mqtt.insecure: expected true or false, found \"yes\"",
                        "many-errors.yaml:26:12: coap.peers[0].uri: expected a peer URI such as coaps://192.168.1.20:5684, "
                                + "found \"http://192.168.1.20\"",
                        "many-errors.yaml:28:10: logging.level: expected one of trace, debug, info, warn, error, "
                                + "found \"verbose\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void everyProblemIsReportedWithItsPlace(String file, List<String> expected) throws IOException {
        String yaml = resource("/config/broken/" + file);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.parse(yaml, file));
        assertEquals(expected, e.errors().stream().map(ConfigError::toString).toList());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ConfigErrorsTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
