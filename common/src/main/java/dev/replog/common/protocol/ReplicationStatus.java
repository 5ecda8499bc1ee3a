package dev.replog.common.protocol;

/**
 * A secondary's state as {@code GET /replication/status} reports it; the master's heartbeat.
 *
 * @param name     the node's name ({@code replog.node-name})
 * @param ackedSeq the end of its contiguous, stored prefix
 * @param lastId   the id of the entry at {@code ackedSeq} (0 when empty)
 * @param epoch    the highest master epoch it has accepted (0 when none)
 */
public record ReplicationStatus(String name, long ackedSeq, long lastId, long epoch) {
}
