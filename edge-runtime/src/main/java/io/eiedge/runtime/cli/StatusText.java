package io.eiedge.runtime.cli;

import com.upokecenter.cbor.CBORObject;

import java.time.Instant;

/** Renders a node's status JSON for a person on a ladder: one line per fact, meters as a table. */
final class StatusText {
    private StatusText() {
    }

    static String render(String json) {
        CBORObject s = CBORObject.FromJSONString(json);
        StringBuilder b = new StringBuilder();
        b.append(String.format("device  %s (%s, subnet %s)  state %s%n", s.get("device").AsString(), s.get("role").AsString(),
                s.get("subnet").AsString(), s.get("state").AsString()));
        b.append(String.format("chain   seq %d, height %d, head %s…, %d unsealed%n", s.get("seq").AsInt64Value(),
                s.get("height").AsInt64Value(), s.get("head").AsString().substring(0, 12), s.get("unsealed").AsInt32Value()));
        CBORObject mqtt = s.get("mqtt");
        CBORObject outbox = s.get("outbox");
        b.append(String.format("mqtt    %s (session %d)  outbox %d waiting, published up to seq %d, %d skipped by cap%n",
                mqtt.get("connected").AsBoolean() ? "connected" : "NOT CONNECTED", mqtt.get("session").AsInt64Value(),
                outbox.get("depth").AsInt64Value(), outbox.get("publishedSeq").AsInt64Value(), outbox.get("skippedByCap").AsInt64Value()));
        b.append(String.format("%-12s %-14s %8s %8s  %s%n", "meter", "quality", "reads", "failed", "values"));
        for (CBORObject m : s.get("meters").getValues()) {
            StringBuilder values = new StringBuilder();
            for (CBORObject k : m.get("values").getKeys()) {
                values.append(k.AsString()).append('=').append(m.get("values").get(k).AsString()).append("  ");
            }
            if (!m.get("lastError").isNull()) {
                values.append("last error: ").append(m.get("lastError").AsString());
            }
            b.append(String.format("%-12s %-14s %8d %8d  %s%n", m.get("id").AsString(), m.get("qualityText").AsString(),
                    m.get("reads").AsInt64Value(), m.get("failures").AsInt64Value(), values.toString().trim()));
        }
        CBORObject peers = s.get("peers");
        if (peers != null && peers.size() > 0) {
            StringBuilder line = new StringBuilder();
            for (CBORObject p : peers.getValues()) {
                line.append(p.get("id").AsString()).append(" height ").append(p.get("verifiedHeight").AsInt64Value())
                        .append(' ').append(p.get("state").AsString());
                if (p.get("misbehaviour").AsInt64Value() > 0) {
                    line.append(" (").append(p.get("misbehaviour").AsInt64Value()).append(" refused)");
                }
                CBORObject problem = p.get("lastProblem");
                if (problem != null && !problem.isNull()) {
                    line.append(" (last problem: ").append(problem.AsString()).append(')');
                }
                line.append(";  ");
            }
            b.append("peers   ").append(line.toString().trim()).append('\n');
        }
        if (s.get("refusedHandshakes") != null && s.get("refusedHandshakes").AsInt64Value() > 0) {
            b.append("dtls    ").append(s.get("refusedHandshakes").AsInt64Value()).append(" handshakes refused\n");
        }
        CBORObject id = s.get("identity");
        if (id != null) {
            long days = id.get("certDaysLeft").AsInt64Value();
            b.append("identity key ").append(id.get("keyFingerprint").AsString()).append(", certificate ")
                    .append(days < 0 ? "EXPIRED " + -days + " days ago" : "expires in " + days + " days")
                    .append(id.get("crlIssued").AsInt64Value() < 0 ? ", no CRL held" : ", CRL issued "
                            + Instant.ofEpochMilli(id.get("crlIssued").AsInt64Value())).append('\n');
        }
        CBORObject problems = s.get("problems");
        if (problems != null) {
            for (CBORObject p : problems.getValues()) {
                b.append("problem ").append(p.AsString()).append('\n');
            }
        } else if (!s.get("lastProblem").isNull()) {
            b.append("problem ").append(s.get("lastProblem").AsString()).append('\n');
        }
        b.append("as of   ").append(Instant.ofEpochMilli(s.get("time").AsInt64Value()));
        return b.toString();
    }
}
