package io.eiedge.runtime.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The status page's "recent alerts": what changed for the worse or got better, in words, newest
 * first, the last {@value #KEEP} only (memory stays bounded however long a meter flaps). Fed with
 * successive status snapshots, so every alert matches what the status itself showed, and with the
 * alerts the node publishes (equivocation evidence).
 */
final class AlertLog {
    static final int KEEP = 20;

    private final Deque<NodeStatus.Alert> alerts = new ArrayDeque<>();
    private NodeStatus previous;

    synchronized void note(long timeMs, String text) {
        alerts.addFirst(new NodeStatus.Alert(timeMs, text));
        while (alerts.size() > KEEP) {
            alerts.removeLast();
        }
    }

    synchronized List<NodeStatus.Alert> recent() {
        return new ArrayList<>(alerts);
    }

    /** Notes what differs from the last snapshot observed: meters, broker, storage, peers. */
    synchronized void observe(NodeStatus now) {
        NodeStatus before = previous;
        previous = now;
        if (before == null) {
            return;
        }
        long t = now.timeMs();
        Map<String, NodeStatus.MeterStatus> old = new HashMap<>();
        before.meters().forEach(m -> old.put(m.id(), m));
        for (NodeStatus.MeterStatus m : now.meters()) {
            NodeStatus.MeterStatus b = old.get(m.id());
            boolean failing = m.consecutiveFailures() > 0;
            boolean wasFailing = b != null && b.consecutiveFailures() > 0;
            if (failing && !wasFailing) {
                note(t, "meter " + m.id() + " stopped answering: " + (m.lastError() != null ? m.lastError() : m.qualityText()));
            } else if (!failing && wasFailing) {
                note(t, "meter " + m.id() + " answers again");
            }
        }
        if (before.mqttConnected() && !now.mqttConnected()) {
            note(t, "broker link lost" + (now.mqttLastFailure() != null ? ": " + now.mqttLastFailure() : ""));
        } else if (!before.mqttConnected() && now.mqttConnected()) {
            note(t, "broker link up (session " + now.mqttSession() + ")");
        }
        if (!Objects.equals(before.storage().problem(), now.storage().problem())) {
            note(t, now.storage().problem() != null ? "storage failing: " + now.storage().problem() : "storage works again");
        }
        Map<String, NodeStatus.PeerStatus> peersBefore = new HashMap<>();
        before.peers().forEach(p -> peersBefore.put(p.id(), p));
        for (NodeStatus.PeerStatus p : now.peers()) {
            NodeStatus.PeerStatus b = peersBefore.get(p.id());
            if (b != null && !b.state().equals(p.state())) {
                note(t, "peer " + p.id() + " " + b.state() + " → " + p.state()
                        + (p.lastProblem() != null ? ": " + p.lastProblem() : ""));
            }
        }
    }
}
