package dev.replog.master.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import dev.replog.common.protocol.ActiveMaster;
import java.util.List;

/**
 * The body of {@code GET /health}: the master's mode and epoch, its last seq, the quorum, how many
 * nodes are up, every node with its status and watermark (the master first), where permanent ids
 * come from, and while RECOVERING what the recovery waits for ({@code recovering}; absent
 * otherwise); this instance's {@code role} (ACTIVE, STANDBY, DEPOSED), the {@code activeMaster} it
 * knows of (absent while it knows of none) and its {@code lastTakeover} (absent if it made none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterHealth(String mode, long epoch, long lastSeq, int quorum, int nodesUp, List<Node> nodes, Ids ids,
        String recovering, String role, ActiveMaster activeMaster, LeaderView.Takeover lastTakeover) {

    /**
     * @param source    {@code sync} (ranges from the sync-service cluster) or {@code local} (a local counter)
     * @param remaining permanent ids the master holds (reserved or prefetched) and can hand out without asking
     */
    public record Ids(String source, long remaining) {
    }

    /**
     * @param url           the node's base URL ("self" for the master)
     * @param role          {@code master} or {@code secondary}
     * @param status        HEALTHY, SUSPECTED or UNHEALTHY
     * @param ackedSeq      the end of the node's contiguous, stored prefix
     * @param lag           {@code lastSeq - ackedSeq}
     * @param epoch         the master's epoch, or the epoch a secondary reported in its last answered
     *                      heartbeat (null: it never answered)
     * @param lastHeartbeat when it last answered a heartbeat (null: never)
     */
    public record Node(String name, String url, String role, String status, long ackedSeq, long lag, Long epoch,
            Instant lastHeartbeat) {
    }
}
