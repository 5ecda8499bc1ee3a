package dev.replog.master.config;

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
        @DefaultValue @Valid Storage storage) {

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
     */
    public record Replication(
            @DefaultValue("1000") @Min(1) int maxBatchEntries,
            @DefaultValue("4MB") @NotNull DataSize maxBatchBytes,
            @DefaultValue("10s") @NotNull Duration requestTimeout) {
    }

    /**
     * @param rangeSize how many permanent ids are reserved at once (one fsync per range)
     */
    public record Ids(@DefaultValue("1000") @Min(1) int rangeSize) {
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
}
