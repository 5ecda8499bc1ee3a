package dev.replog.common.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A secondary's state as {@code GET /replication/status} reports it; the master's heartbeat.
 *
 * @param name       the node's name ({@code replog.node-name})
 * @param ackedSeq   the end of its contiguous, stored prefix
 * @param lastId     the id of the entry at {@code ackedSeq} (0 when empty)
 * @param epoch      the highest master epoch it has accepted (0 when none)
 * @param lastEpoch  the epoch of the master that wrote the entry at {@code ackedSeq} (0 when empty):
 *                   with {@code ackedSeq}, how up to date the log is (Raft's rule: a log whose last
 *                   entry has the higher epoch wins, then the longer)
 * @param waitingFor what the node waits for before it takes any append, e.g. the newest epoch from
 *                   the sync cluster after it lost its data; omitted (null) when it takes appends
 */
public record ReplicationStatus(String name, long ackedSeq, long lastId, long epoch, long lastEpoch,
        @JsonInclude(JsonInclude.Include.NON_NULL) String waitingFor) {

    /** A status of a node that takes appends, whose last entry was written in {@code lastEpoch}. */
    public ReplicationStatus(String name, long ackedSeq, long lastId, long epoch, long lastEpoch) {
        this(name, ackedSeq, lastId, epoch, lastEpoch, null);
    }

    /**
     * Reads a status; one without {@code lastEpoch} (a secondary from before it was reported) says
     * 0, "not known", which recovery does not rank by epoch.
     */
    @JsonCreator
    static ReplicationStatus of(@JsonProperty("name") String name, @JsonProperty("ackedSeq") long ackedSeq,
            @JsonProperty("lastId") long lastId, @JsonProperty("epoch") long epoch,
            @JsonProperty("lastEpoch") Long lastEpoch, @JsonProperty("waitingFor") String waitingFor) {
        return new ReplicationStatus(name, ackedSeq, lastId, epoch, lastEpoch == null ? 0 : lastEpoch, waitingFor);
    }
}
