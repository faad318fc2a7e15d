package io.eiedge.runtime.config;

import io.eiedge.runtime.config.MeterConnection.RegisterSource;
import io.eiedge.runtime.config.MeterConnection.RegisterSpec;
import java.util.Locale;

/** Says in plain words what a node with this configuration will do; printed by {@code eiedge config check}. */
public final class ConfigExplainer {

    private ConfigExplainer() {
    }

    public static String explain(EiedgeConfig c) {
        StringBuilder out = new StringBuilder();
        DeviceConfig d = c.device();
        out.append("Device ").append(d.id()).append(" (").append(d.role().configName()).append(") in subnet ")
                .append(d.subnet()).append('\n');
        out.append("  identity from ").append(c.identity().dir())
                .append(c.identity().passphraseFile().map(p -> ", key passphrase from " + p).orElse(""))
                .append('\n');

        out.append(c.meters().size()).append(c.meters().size() == 1 ? " meter" : " meters").append(":\n");
        if (c.meters().isEmpty()) out.append("  (none: this node reads no meters)\n");
        for (MeterConfig m : c.meters()) {
            out.append("  ").append(m.id()).append(": every ").append(Quantities.format(m.pollInterval()))
                    .append(", ").append(describe(m.connection())).append('\n');
            if (m.connection() instanceof MeterConnection.ModbusTcp t && t.registers() instanceof RegisterSource.Inline i) {
                registers(out, i);
            } else if (m.connection() instanceof MeterConnection.ModbusRtu r
                    && r.registers() instanceof RegisterSource.Inline i) {
                registers(out, i);
            }
        }

        LedgerConfig l = c.ledger();
        out.append("Ledger in ").append(l.dataDir()).append(": a block is sealed every ")
                .append(l.blockMaxReadings()).append(" readings or ").append(Quantities.format(l.blockMaxAge()))
                .append(", whichever comes first\n");
        out.append("  reading bodies kept ").append(Quantities.format(l.retention()))
                .append(l.retentionMaxBytes().isPresent()
                        ? " or up to " + Quantities.formatBytes(l.retentionMaxBytes().getAsLong()) + ", whichever is less"
                        : "")
                .append("; headers kept forever\n");

        MqttConfig q = c.mqtt();
        out.append("Upstream broker ").append(q.broker())
                .append(q.insecure() && "tcp".equals(q.broker().getScheme())
                        ? " (PLAIN TCP, no TLS: insecure)" : " (TLS, device certificate, registrar root only)")
                .append('\n');
        out.append("  topics ").append(q.topicPrefix()).append('/').append(d.subnet()).append('/').append(d.id())
                .append("/{reading,header,cert,state}, QoS 1\n");
        out.append("  outbox up to ").append(Quantities.formatBytes(q.outbox().maxBytes())).append(", when full ")
                .append(q.outbox().whenFull().configName()).append("; drains at ")
                .append(String.format(Locale.ROOT, "%.0f", q.drainRate())).append(" msg/s; keepalive ")
                .append(Quantities.format(q.keepAlive())).append("; reconnect back-off ")
                .append(Quantities.format(q.reconnectMin())).append(" to ").append(Quantities.format(q.reconnectMax()))
                .append('\n');

        CoapConfig p = c.coap();
        out.append("CoAP ").append(p.insecure() ? "(PLAIN, no DTLS: insecure)" : "over DTLS").append(" on UDP port ")
                .append(p.port()).append(", ").append(p.peers().size())
                .append(p.peers().size() == 1 ? " peer" : " peers")
                .append(p.multicast() ? " configured, more found by multicast on the link (224.0.1.187, UDP 5683)" : "")
                .append(p.peers().isEmpty() ? "\n" : ":\n");
        for (CoapConfig.Peer peer : p.peers()) {
            out.append("  ").append(peer.id()).append(" at ").append(peer.uri()).append('\n');
        }

        WebConfig w = c.web();
        out.append(w.listen().map(a -> "Status page, /api/status and /metrics on " + (w.tls() ? "https://" : "http://")
                + hostPort(a) + "/" + (w.tls() ? " (device certificate" + (w.requireClientCert()
                ? "; only clients with a registrar-signed certificate)" : ")") : "")
                + (a.getAddress().isLoopbackAddress() ? " (this device only: reach it over SSH forwarding)" : "")
                + ", at most " + w.maxConnections() + " connections")
                .orElse("No status page (web.listen is empty)")).append('\n');

        LoggingConfig g = c.logging();
        out.append("Logging at ").append(g.level().configName()).append(" to stderr")
                .append(g.file().map(f -> " and " + f + " (rolls at " + Quantities.formatBytes(g.rollingSize())
                        + ", keeps " + g.keep() + ")").orElse(""))
                .append('\n');
        return out.toString();
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** One line saying how a meter is reached, for {@code config check} and {@code meters check}. */
    public static String describe(MeterConnection c) {
        return switch (c) {
            case MeterConnection.ModbusTcp t -> "Modbus TCP " + t.host() + ":" + t.port() + " unit " + t.unitId()
                    + ", " + source(t.registers()) + ", timeout " + Quantities.format(t.timeout()) + ", "
                    + t.retries() + (t.retries() == 1 ? " retry" : " retries");
            case MeterConnection.ModbusRtu r -> "Modbus RTU " + r.device() + " " + r.baud() + " baud "
                    + r.parity().configName() + " parity " + r.stopBits() + " stop bit(s)"
                    + r.interFrameGap().map(g -> " gap " + Quantities.format(g)).orElse("") + " unit " + r.unitId()
                    + ", " + source(r.registers()) + ", timeout " + Quantities.format(r.timeout()) + ", "
                    + r.retries() + (r.retries() == 1 ? " retry" : " retries");
            case MeterConnection.SunSpec s -> "SunSpec over Modbus TCP " + s.host() + ":" + s.port() + " unit "
                    + s.unitId() + " (models discovered), timeout " + Quantities.format(s.timeout());
            case MeterConnection.S0 s -> "S0 pulses on GPIO " + s.gpioPin() + " (pull " + s.pull().configName() + ", "
                    + s.edge().configName() + " edge, debounce " + Quantities.format(s.debounce()) + "), "
                    + s.pulsesPerKwh() + " pulses/kWh";
            case MeterConnection.P1 p -> "DSMR P1 port " + p.device() + " " + p.baud() + " 8N1, telegram timeout "
                    + Quantities.format(p.timeout());
            case MeterConnection.Simulated s -> "simulated " + s.kind().configName() + " peaking at "
                    + String.format(Locale.ROOT, "%.0f", s.peakPowerWatts()) + " W (seed " + s.seed()
                    + "; readings flagged simulated)";
        };
    }

    private static String source(RegisterSource s) {
        return switch (s) {
            case RegisterSource.Profile p -> "profile " + p.name();
            case RegisterSource.Inline i -> i.registers().size() + " register(s)";
        };
    }

    private static void registers(StringBuilder out, RegisterSource.Inline inline) {
        for (RegisterSpec r : inline.registers()) {
            out.append(String.format(Locale.ROOT, "      %-10s %s register %d (0x%04X) %s %s x10^%d %s%n",
                    r.obis(), r.registerType().configName(), r.address(), r.address(), r.dataType().configName(),
                    r.wordOrder().configName(), r.scaler(), r.unit()));
        }
    }
}
