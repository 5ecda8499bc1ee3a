package dev.replog.master.replication;

import dev.replog.master.config.SecondaryNode;

/**
 * One secondary as the master tracks it: where it is, the client its heartbeats and appends go
 * through, its replicator (watermark, health, the status of its last heartbeat) and its log as
 * recovery reads it.
 */
public record Secondary(SecondaryNode node, SecondaryClient client, Replicator replicator, SecondaryLog log) {

    public String name() {
        return node.name();
    }

    public NodeHealth health() {
        return replicator.health();
    }
}
