package io.eiedge.runtime.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eiedge.drivers.meter.MeterSettings;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.MeterConfig;
import org.junit.jupiter.api.Test;

/**
 * What {@code eiedge config check} accepts, {@code eiedge run} builds: every meter key at the
 * edges of its range passes the loader and then the drivers' own config records.
 */
class MeterSettingsAgreementTest {

    private static String config(String meters) {
        return "device: {id: r1, subnet: lab, role: router}\nmeters:\n" + meters
                + "mqtt: {broker: 'ssl://localhost:8883'}\n";
    }

    private static void loadsAndWires(String meters) throws Exception {
        EiedgeConfig c = ConfigLoader.parse(config(meters), "edges.yaml");
        for (MeterConfig m : c.meters()) {
            assertDoesNotThrow(() -> MeterWiring.toDriver(m), m.id());
        }
    }

    @Test
    void theLargestValuesTheCheckAcceptsAreAcceptedByTheDrivers() throws Exception {
        loadsAndWires("""
                  - {id: a, type: modbus-tcp, host: h, port: 65535, unit-id: 255, profile: sdm630, timeout: 10s, retries: 5}
                  - {id: b, type: sunspec, host: h, unit-id: 255, timeout: 10s, retries: 5}
                  - {id: c, type: modbus-rtu, device: /dev/ttyUSB0, baud: 921600, stop-bits: 2, inter-frame-gap: 1s,
                     unit-id: 247, profile: sdm120, timeout: 10s, retries: 5, poll-interval: 1h}
                  - {id: d, type: s0, gpio-pin: 63, debounce: 30ms, pulses-per-kwh: 100000}
                  - {id: e, type: simulated, kind: pv, peak-power: 10MW}
                  - {id: f, type: p1, device: /dev/ttyUSB1, baud: 115200, timeout: 60s}
                """);
    }

    @Test
    void theSmallestValuesTheCheckAcceptsAreAcceptedByTheDrivers() throws Exception {
        loadsAndWires("""
                  - {id: a, type: modbus-tcp, host: h, port: 1, unit-id: 0, profile: sdm630, timeout: 10ms, retries: 0}
                  - {id: c, type: modbus-rtu, device: /dev/ttyUSB0, baud: 1200, stop-bits: 1, inter-frame-gap: 0s,
                     unit-id: 1, profile: sdm120, timeout: 10ms, retries: 0, poll-interval: 100ms}
                  - {id: d, type: s0, gpio-pin: 0, debounce: 0s, pulses-per-kwh: 1}
                  - {id: e, type: simulated, kind: load, peak-power: 1W}
                  - {id: f, type: p1, device: /dev/ttyUSB1, baud: 9600, timeout: 1s}
                """);
    }

    @Test
    void absentKeysTakeTheDefaultsOfTheOneDefinition() throws Exception {
        EiedgeConfig c = ConfigLoader.parse(config("""
                  - {id: a, type: modbus-tcp, host: h, profile: sdm630}
                  - {id: d, type: s0, gpio-pin: 4, pulses-per-kwh: 800}
                """), "defaults.yaml");
        var tcp = (io.eiedge.drivers.modbus.ModbusTcpMeterConfig) MeterWiring.toDriver(c.meters().get(0));
        assertEquals(MeterSettings.TIMEOUT.defaultValue(), tcp.timeout());
        assertEquals(MeterSettings.RETRIES.defaultValue(), tcp.retries());
        assertEquals(MeterSettings.TCP_PORT.defaultValue(), tcp.port());
        assertEquals(MeterSettings.POLL_INTERVAL.defaultValue(), c.meters().get(0).pollInterval());
        var s0 = (io.eiedge.drivers.s0.S0MeterConfig) MeterWiring.toDriver(c.meters().get(1));
        assertEquals(MeterSettings.DEBOUNCE.defaultValue(), s0.debounce());
    }
}
