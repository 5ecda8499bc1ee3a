package dev.replog.master.config;

import dev.replog.common.web.ClusterSettings;
import dev.replog.common.web.StreamSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the master, bound from {@code replog.*} properties or {@code REPLOG_*}
 * environment variables.
 *
 * @param nodeName        this node's name in logs, metrics and {@code /health}
 * @param dataDir         where the master keeps its durable state (epoch and id counters, later its log)
 * @param secondaries     the static membership: {@code name=url} or bare {@code url} entries
 * @param maxMessageBytes the largest message accepted, in UTF-8 bytes (larger: 413)
 * @param heartbeat       how secondaries are watched
 * @param retry           how failed deliveries are retried
 * @param replication     how entries are shipped
 * @param ids             how permanent ids are reserved
 * @param storage         how the log is kept on disk
 * @param sync            where permanent ids and epochs come from (the sync-service cluster, or local counters)
 * @param batch           limits of {@code POST /messages/batch}
 * @param cluster         the cluster secret ({@code replog.cluster.secret}) the master sends with every internal
 *                        request (to secondaries and sync nodes)
 * @param advertisedUrl   this instance's base URL as clients reach it: the {@code Location} of redirects to it and
 *                        what it tells the secondaries; empty: {@code http://127.0.0.1:<server port>}
 * @param lease           who leads among the master instances (with the sync cluster only)
 * @param stream          the live tail, {@code GET /messages/stream}: its keep-alive comments
 */
@Validated
@ConfigurationProperties(prefix = "replog")
public record MasterProperties(
        @DefaultValue("master") @NotBlank String nodeName,
        @DefaultValue("./data/master") @NotNull Path dataDir,
        @DefaultValue("") List<String> secondaries,
        @DefaultValue("1MB") @NotNull DataSize maxMessageBytes,
        @DefaultValue @Valid Heartbeat heartbeat,
        @DefaultValue @Valid Retry retry,
        @DefaultValue @Valid Replication replication,
        @DefaultValue @Valid Ids ids,
        @DefaultValue @Valid Storage storage,
        @DefaultValue @Valid Sync sync,
        @DefaultValue @Valid Batch batch,
        @DefaultValue @NotNull ClusterSettings cluster,
        @DefaultValue("") String advertisedUrl,
        @DefaultValue @Valid Lease lease,
        @DefaultValue @NotNull StreamSettings stream) {

    /**
     * The lease in the sync cluster that says which master instance should lead (a lock named
     * {@code replog-master}). Who can lead is decided by epochs on the secondaries, never by this
     * lease: it only decides which instance tries.
     *
     * @param name           the lock's name: master instances of one cluster share it (clusters sharing one sync
     *                       cluster each need their own)
     * @param ttl            how long the lease lasts unless renewed: a dead master is replaced about this long
     *                       after its last renewal
     * @param renewInterval  how often the active master renews it (well below {@code ttl}: a few renewals may fail
     *                       before it runs out)
     * @param standbyPoll    how long one standby's acquire waits in the lock's queue before it asks again (and
     *                       learns the current holder, whom it redirects writes to)
     * @param exitOnStepDown whether a master that stepped down (a newer epoch seen, or the lease passed to another)
     *                       exits with status 75 after ending its waiting writes, for its supervisor to restart it
     *                       as a standby; false: it stays up taking no writes (503), and never leads again until restarted
     */
    public record Lease(
            @DefaultValue("replog-master") @jakarta.validation.constraints.Pattern(regexp = "[a-z0-9._-]{1,64}") String name,
            @DefaultValue("2s") @NotNull Duration ttl,
            @DefaultValue("400ms") @NotNull Duration renewInterval,
            @DefaultValue("1s") @NotNull Duration standbyPoll,
            @DefaultValue("true") boolean exitOnStepDown) {
    }

    /**
     * @param interval       time between two heartbeats to one secondary
     * @param unhealthyAfter missed beats after which a secondary is UNHEALTHY (one makes it SUSPECTED)
     * @param timeout        how long a heartbeat may take before it counts as missed
     */
    public record Heartbeat(
            @DefaultValue("1s") @NotNull Duration interval,
            @DefaultValue("3") @Min(1) int unhealthyAfter,
            @DefaultValue("1s") @NotNull Duration timeout) {
    }

    /**
     * @param initialBackoff      wait before the first retry of a failed delivery
     * @param maxBackoff          the longest wait between two retries
     * @param multiplier          growth of the wait from one retry to the next
     * @param randomizationFactor jitter: each wait is drawn from {@code wait * (1 ± factor)}
     * @param maxAttempts         attempts per delivery; 0 means unlimited (until the node is UNHEALTHY)
     */
    public record Retry(
            @DefaultValue("50ms") @NotNull Duration initialBackoff,
            @DefaultValue("2s") @NotNull Duration maxBackoff,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0") double randomizationFactor,
            @DefaultValue("0") @Min(0) int maxAttempts) {
    }

    /**
     * @param maxBatchEntries most entries in one append request
     * @param maxBatchBytes   most message bytes in one append request (at least one entry is sent)
     * @param requestTimeout  how long one append request may take before it is retried
     * @param maxInFlight     append requests in flight per secondary (pipelining); bounded because two
     *                        to four already cover the secondary's fsync and the round trip, and more
     *                        only add memory, resent work after a refusal and held-aside entries
     * @param linger          how long entries no writer waits on (written with {@code w=1}) may be
     *                        held back to go out in one bigger batch (Kafka's {@code linger.ms});
     *                        entries a writer waits on go at once; 0 ships everything at once
     */
    public record Replication(
            @DefaultValue("1000") @Min(1) int maxBatchEntries,
            @DefaultValue("4MB") @NotNull DataSize maxBatchBytes,
            @DefaultValue("10s") @NotNull Duration requestTimeout,
            @DefaultValue("4") @Min(1) @jakarta.validation.constraints.Max(16) int maxInFlight,
            @DefaultValue("5ms") @NotNull Duration linger) {
    }

    /**
     * @param rangeSize   how many permanent ids are reserved at once (one fsync, or one sync-cluster
     *                    decision, per range; at most 1000000)
     * @param waitTimeout how long a write waits for a permanent id when every prefetched range is
     *                    spent (the sync cluster is unreachable) before it answers 503
     */
    public record Ids(
            @DefaultValue("1000") @Min(1) @jakarta.validation.constraints.Max(1_000_000) int rangeSize,
            @DefaultValue("2s") @NotNull Duration waitTimeout) {
    }

    /**
     * @param nodes          the sync-service nodes ({@code http://host:port}, comma-separated); empty: ids
     *                       and epochs come from durable local counters in the data dir
     * @param requestTimeout how long one call to one sync node may take before the next node is tried
     * @param initialBackoff wait before retrying a failed range prefetch (doubles up to {@code maxBackoff})
     * @param maxBackoff     the longest wait between two prefetch retries while the sync cluster is down
     */
    public record Sync(
            @DefaultValue("") List<String> nodes,
            @DefaultValue("2s") @NotNull Duration requestTimeout,
            @DefaultValue("100ms") @NotNull Duration initialBackoff,
            @DefaultValue("2s") @NotNull Duration maxBackoff) {

        /** The configured nodes without blanks. */
        public List<String> nodeUrls() {
            return nodes == null ? List.of() : nodes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        /** True when ids and epochs come from the sync-service cluster. */
        public boolean enabled() {
            return !nodeUrls().isEmpty();
        }
    }

    /**
     * @param fsync        {@code group} (one fsync covers every append made meanwhile, acks after it),
     *                     {@code always} (one fsync per append) or {@code none} (the OS decides)
     * @param segmentBytes size at which a log segment file is sealed and a new one started
     */
    public record Storage(
            @DefaultValue("group") @jakarta.validation.constraints.Pattern(regexp = "(?i)group|always|none") String fsync,
            @DefaultValue("64MB") @NotNull DataSize segmentBytes) {
    }

    /**
     * @param maxMessages most messages in one {@code POST /messages/batch} (more: 413). A batch takes
     *                    all its ids at once, so the effective limit is also at most
     *                    {@code replog.ids.range-size}: a batch must fit one fresh id range.
     * @param maxBytes    most message bytes (UTF-8, all messages together) in one batch (more: 413);
     *                    each message is also bounded by {@code replog.max-message-bytes}
     */
    public record Batch(
            @DefaultValue("1000") @Min(1) @jakarta.validation.constraints.Max(100_000) int maxMessages,
            @DefaultValue("4MB") @NotNull DataSize maxBytes) {
    }
}
