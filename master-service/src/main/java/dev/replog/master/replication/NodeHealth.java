package dev.replog.master.replication;

import java.time.Instant;

/**
 * The heartbeat state machine of one secondary: HEALTHY after any answer, SUSPECTED after one
 * missed beat, UNHEALTHY after {@code unhealthyAfter} missed beats. A node never heard from
 * starts UNHEALTHY, so the master does not count it towards a quorum before it answers.
 */
public final class NodeHealth {

    private final int unhealthyAfter;
    private int missed;
    private Instant lastHeartbeat;

    public NodeHealth(int unhealthyAfter) {
        this.unhealthyAfter = unhealthyAfter;
        this.missed = unhealthyAfter;
    }

    /** Records an answer; returns the status before it. */
    public synchronized NodeStatus answered(Instant at) {
        NodeStatus before = status();
        missed = 0;
        lastHeartbeat = at;
        return before;
    }

    /** Records a missed beat; returns the status before it. */
    public synchronized NodeStatus missed() {
        NodeStatus before = status();
        if (missed < unhealthyAfter) {
            missed++;
        }
        return before;
    }

    public synchronized NodeStatus status() {
        if (missed == 0) {
            return NodeStatus.HEALTHY;
        }
        return missed < unhealthyAfter ? NodeStatus.SUSPECTED : NodeStatus.UNHEALTHY;
    }

    public synchronized int missedBeats() {
        return missed;
    }

    /** When it last answered a heartbeat; null if never. */
    public synchronized Instant lastHeartbeat() {
        return lastHeartbeat;
    }
}
