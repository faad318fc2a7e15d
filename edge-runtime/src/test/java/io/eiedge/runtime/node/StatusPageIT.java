package io.eiedge.runtime.node;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.drivers.MeterFactory;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.WebConfig;
import io.eiedge.runtime.testsupport.FreePorts;
import io.eiedge.runtime.testsupport.HeadlessChromium;
import io.eiedge.runtime.testsupport.Mosquitto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page as a technician's phone shows it: Debian's chromium, headless, opens the page of
 * a running node (simulated meters, a real mosquitto, a Modbus meter nobody answers for) and the
 * test reads the live DOM over the DevTools protocol. Screenshots are kept in target/status-page/.
 */
class StatusPageIT {
    @TempDir
    Path dir;

    static final String METERS = """
              - id: pv
                type: simulated
                kind: pv
                seed: 1
                peak-power: 5kW
                poll-interval: 500ms
              - id: grid
                type: simulated
                kind: load
                seed: 2
                peak-power: 3kW
                poll-interval: 500ms
              - id: cellar
                type: modbus-tcp
                host: 127.0.0.1
                port: %d
                unit-id: 1
                profile: sdm120
                timeout: 200ms
                retries: 0
                poll-interval: 500ms
            """;

    /** A node with the page on a free loopback port; the cellar meter's port has nobody listening. */
    static EdgeNode node(TestDevices devices, TestDevices.Device router, Mosquitto broker, MeterFactory meters, WebConfig web)
            throws Exception {
        EiedgeConfig config = devices.config(router, "router", broker.url("tcp"), METERS.formatted(FreePorts.tcp()), "2s").withWeb(web);
        return EdgeNode.start(config, router.identity(), meters, Clock.systemUTC());
    }

    static WebConfig loopback(int port) {
        return new WebConfig(Optional.of(new InetSocketAddress("127.0.0.1", port)), false, false, 8);
    }

    @Test
    void thePageShowsEveryMetersValuesAndTheChainHeightUpdatesItselfAndNamesTheProblemOfAMeterThatDoesNotAnswer() throws Exception {
        TestDevices devices = new TestDevices(dir);
        var router = devices.issue("router-01", "router");
        int port = FreePorts.tcp();
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("broker")).start();
             MeterFactory meters = TestDevices.meterFactory(dir)) {
            EdgeNode node = node(devices, router, broker, meters, loopback(port));
            try (HeadlessChromium page = HeadlessChromium.open(dir.resolve("chromium"), "http://127.0.0.1:" + port + "/", 412, 915)) {
                page.waitFor("document.querySelector('[data-meter=pv] .values dd')", Duration.ofSeconds(20), "pv's values");
                page.waitFor("document.querySelector('[data-meter=grid] .values dd')", Duration.ofSeconds(5), "grid's values");

                // the quantities shown are the ones the meter gives, each with a value in plain units
                for (String meter : new String[]{"pv", "grid"}) {
                    Set<String> shown = new HashSet<>();
                    for (CBORObject code : CBORObject.FromJSONString(page.eval("JSON.stringify([...document.querySelectorAll("
                            + "'[data-meter=" + meter + "] .values dd')].map(d => d.dataset.obis))")).getValues()) {
                        shown.add(code.AsString());
                    }
                    Set<String> read = node.status().meters().stream().filter(m -> m.id().equals(meter)).findFirst()
                            .orElseThrow().values().keySet();
                    assertEquals(read, shown, meter + ": the page shows the quantities the meter gives");
                }
                String pv = page.eval("document.querySelector('[data-meter=pv] .values').innerText");
                assertTrue(pv.matches("(?s).*\\d.*(kWh|Wh).*") && pv.matches("(?s).*\\d.*(kW|W)\\b.*"), "energy and power in plain units: " + pv);

                long before = node.status().height();
                long shownHeight = Long.parseLong(page.eval("document.getElementById('chain-height').textContent"));
                assertTrue(shownHeight <= node.status().height() && shownHeight >= before - 1,
                        "the page's height " + shownHeight + " is the node's (" + before + ")");

                // no reload: the same page shows new values and a new height after its next polls
                page.waitFor("document.querySelector('[data-meter=pv] .values').innerText !== " + CBORObject.FromObject(pv).ToJSONString(),
                        Duration.ofSeconds(10), "pv's values changing");
                page.waitFor("Number(document.getElementById('chain-height').textContent) > " + shownHeight,
                        Duration.ofSeconds(15), "the chain height growing");

                // the meter nobody answers for: its card says so, and the banner too
                page.waitFor("document.querySelector('[data-meter=cellar].failing .problem')", Duration.ofSeconds(10),
                        "the cellar meter's problem");
                String cellar = page.eval("document.querySelector('[data-meter=cellar]').innerText");
                assertTrue(cellar.contains("not answering") && cellar.contains("in a row"), cellar);
                String banner = page.eval("document.getElementById('banner').innerText");
                assertTrue(banner.contains("meter cellar"), banner);
                page.waitFor("document.querySelector('[data-meter=cellar] .backoff')", Duration.ofSeconds(10),
                        "the cellar meter's back-off");

                // every byte came from the device itself
                String foreign = page.eval("JSON.stringify(performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => !n.startsWith(location.origin)))");
                assertEquals("[]", foreign, "resources from elsewhere");
                assertEquals("deb2".length(), page.eval("document.getElementById('fingerprint').textContent").split(" ")[0].length());

                Path shots = Path.of("target", "status-page");
                page.screenshot(shots.resolve("phone.png"));
                assertTrue(Files.size(shots.resolve("phone.png")) > 10_000, "a screenshot with something on it");
            } finally {
                node.close();
            }
        }
    }
}
