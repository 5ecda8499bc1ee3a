package dev.replog.sync.config;

import dev.replog.common.web.ClusterSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a sync node, under {@code replog.*}; each is also an environment variable
 * ({@code REPLOG_NODE_NAME}, {@code REPLOG_SYNC_PEERS}, {@code REPLOG_SYNC_NODE_ID}, ...).
 *
 * @param nodeName the node's name, in logs, metrics and {@code /paxos/state-summary}
 * @param dataDir  where the node keeps its acceptor state ({@code paxos/}, one file per key)
 * @param sync     the cluster and the CASPaxos timing
 * @param cluster  the cluster secret ({@code replog.cluster.secret}) that {@code /paxos/**} requires when set,
 *                 and that this node sends to its peers
 */
@ConfigurationProperties(prefix = "replog")
@Validated
public record SyncProperties(
        @DefaultValue("sync-1") @NotBlank String nodeName,
        @DefaultValue("data/sync-1") @NotNull Path dataDir,
        @DefaultValue @NotNull @Valid Sync sync,
        @DefaultValue @NotNull ClusterSettings cluster) {

    /**
     * The cluster ({@code replog.sync.*}).
     *
     * @param peers          base URLs of all sync nodes, this one included, in the same order on
     *                       every node
     * @param nodeId         this node's 1-based position in {@code peers}; also the tie-breaker of
     *                       its ballots
     * @param requestTimeout how long one prepare or accept call to a node may take
     * @param backoff        the pauses between rounds that did not reach a majority
     * @param lock           how lock waiters poll
     * @param joinCheckInterval how often a node without state asks its peers whether it must re-join
     */
    public record Sync(
            @DefaultValue({"http://127.0.0.1:8091", "http://127.0.0.1:8092", "http://127.0.0.1:8093"})
            @NotNull List<URI> peers,
            @DefaultValue("1") int nodeId,
            @DefaultValue("1s") @NotNull Duration requestTimeout,
            @DefaultValue @NotNull @Valid Backoff backoff,
            @DefaultValue @NotNull @Valid Lock lock,
            @DefaultValue("500ms") @NotNull Duration joinCheckInterval) {

        public Sync {
            if (peers != null && peers.isEmpty()) {
                throw new IllegalArgumentException("replog.sync.peers must list every sync node, this one included");
            }
            if (peers != null && (nodeId < 1 || nodeId > peers.size())) {
                throw new IllegalArgumentException("replog.sync.node-id must be this node's 1-based position in "
                        + "replog.sync.peers (1.." + peers.size() + "), was " + nodeId);
            }
        }
    }

    /**
     * Retrying a CASPaxos round ({@code replog.sync.backoff.*}).
     *
     * @param first       the first pause
     * @param max         the longest pause
     * @param jitter      the jitter factor, 0..1
     * @param giveUpAfter no round starts after this much time; the request then answers 503
     */
    public record Backoff(
            @DefaultValue("20ms") @NotNull Duration first,
            @DefaultValue("1s") @NotNull Duration max,
            @DefaultValue("0.5") double jitter,
            @DefaultValue("5s") @NotNull Duration giveUpAfter) {

        public Backoff {
            if (jitter < 0 || jitter > 1) {
                throw new IllegalArgumentException("replog.sync.backoff.jitter must be within 0..1, was " + jitter);
            }
        }
    }

    /**
     * Lock waiting ({@code replog.sync.lock.*}).
     *
     * @param pollInterval how often a waiting acquire tries again
     * @param waiterGrace  how long a waiter's place in the queue outlives its {@code waitMs}
     *                     (a waiter whose client vanished is dropped after it)
     */
    public record Lock(
            @DefaultValue("200ms") @NotNull Duration pollInterval,
            @DefaultValue("2s") @NotNull Duration waiterGrace) {
    }
}
