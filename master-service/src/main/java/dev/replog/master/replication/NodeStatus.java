package dev.replog.master.replication;

/** How the master sees a secondary, from its heartbeats. */
public enum NodeStatus {
    /** Its last heartbeat was answered. */
    HEALTHY,
    /** It missed at least one heartbeat, fewer than {@code replog.heartbeat.unhealthy-after}. */
    SUSPECTED,
    /** It missed too many heartbeats (or was never heard): not counted for quorum, not retried. */
    UNHEALTHY
}
