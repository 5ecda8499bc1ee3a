package dev.replog.secondary.config;

import dev.replog.common.log.FsyncMode;
import dev.replog.common.web.ClusterSettings;
import dev.replog.common.web.StreamSettings;
import jakarta.validation.Valid;
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
 * Settings of a secondary, under {@code replog.*}; each is also an environment variable
 * ({@code REPLOG_NODE_NAME}, {@code REPLOG_REPLICATION_DELAY}, {@code REPLOG_STORAGE_FSYNC}, ...).
 *
 * @param nodeName        the node's name, reported by {@code GET /replication/status}
 * @param dataDir         where the node keeps its state: the log in {@code log/}, the highest
 *                        epoch accepted in {@code epoch}
 * @param maxMessageBytes the largest message accepted in a replicated entry (UTF-8 bytes)
 * @param replication     how replication requests from the master are handled
 * @param storage         how the log is stored
 * @param cluster         the cluster secret ({@code replog.cluster.secret}) that {@code /replication/**}
 *                        requires when set
 * @param sync            the sync-service cluster, where a node that lost its epoch learns the newest
 * @param stream          the live tail, {@code GET /messages/stream}: its keep-alive comments
 */
@ConfigurationProperties(prefix = "replog")
@Validated
public record SecondaryProperties(
        @DefaultValue("secondary") @NotBlank String nodeName,
        @DefaultValue("data") @NotNull Path dataDir,
        @DefaultValue("1MB") @NotNull DataSize maxMessageBytes,
        @DefaultValue @NotNull @Valid Replication replication,
        @DefaultValue @NotNull @Valid Storage storage,
        @DefaultValue @NotNull ClusterSettings cluster,
        @DefaultValue @NotNull @Valid Sync sync,
        @DefaultValue @NotNull StreamSettings stream) {

    public SecondaryProperties {
        if (maxMessageBytes != null && maxMessageBytes.toBytes() < 1) {
            throw new IllegalArgumentException("replog.max-message-bytes must be positive, was " + maxMessageBytes);
        }
    }

    /**
     * Handling of {@code POST /replication/append}.
     *
     * @param delay      an artificial delay before each append is handled, for demos (0: none)
     * @param maxPending how many entries that arrived past a gap are kept aside until it fills
     * @param gapWait    how long a batch that arrived past a gap waits for its predecessor (sent
     *                   alongside it by the pipelining master) before it is answered 409; 0 answers
     *                   at once. Either way it stays held aside and is applied if the gap fills.
     */
    public record Replication(
            @DefaultValue("0s") @NotNull Duration delay,
            @DefaultValue("100000") @Min(0) int maxPending,
            @DefaultValue("500ms") @NotNull Duration gapWait) {

        public Replication {
            if (delay != null && delay.isNegative()) {
                throw new IllegalArgumentException("replog.replication.delay must not be negative, was " + delay);
            }
            if (gapWait != null && gapWait.isNegative()) {
                throw new IllegalArgumentException("replog.replication.gap-wait must not be negative, was " + gapWait);
            }
        }
    }

    /**
     * The sync-service cluster ({@code replog.sync.*}), the same nodes the master takes its epochs
     * from. A node that starts without its epoch file (new, or its data dir was lost) reads the
     * newest epoch there before it takes any append. Empty: it follows any master's epoch again,
     * so a master fenced before the loss could win it back (docs/durability-and-recovery.md).
     *
     * @param nodes          the sync nodes' URLs (comma-separated); empty: none
     * @param requestTimeout how long one sync node may take to answer
     */
    public record Sync(
            @DefaultValue("") List<String> nodes,
            @DefaultValue("1s") @NotNull Duration requestTimeout) {

        /** The configured nodes without blanks. */
        public List<String> nodeUrls() {
            return nodes == null ? List.of() : nodes.stream().map(String::trim).filter(url -> !url.isEmpty()).toList();
        }
    }

    /**
     * The log on disk ({@code replog.storage.*}).
     *
     * @param fsync        {@code group} (the default: one fsync covers every record appended
     *                     meanwhile, before their acks), {@code always} (one fsync per append) or
     *                     {@code none} (the OS decides; a machine crash may lose acknowledged entries)
     * @param segmentBytes the size at which a segment file is sealed and the next one started
     *                     (1 byte to 1 GiB; a batch is never split, so one may exceed it)
     */
    public record Storage(
            @DefaultValue("group") @NotNull String fsync,
            @DefaultValue("64MB") @NotNull DataSize segmentBytes) {

        /** The largest segment the file store accepts. */
        static final DataSize MAX_SEGMENT = DataSize.ofGigabytes(1);

        public Storage {
            if (fsync != null) {
                try {
                    FsyncMode.parse(fsync);
                } catch (IllegalArgumentException e) {
                    // the whole story in one message: it is the root cause Spring Boot reports
                    throw new IllegalArgumentException("replog.storage.fsync must be one of group, always, none; was '"
                            + fsync + "'");
                }
            }
            if (segmentBytes != null
                    && (segmentBytes.toBytes() < 1 || segmentBytes.toBytes() > MAX_SEGMENT.toBytes())) {
                throw new IllegalArgumentException("replog.storage.segment-bytes must be between 1B and 1GB, was "
                        + segmentBytes);
            }
        }

        /** {@link #fsync()} parsed. */
        public FsyncMode fsyncMode() {
            return FsyncMode.parse(fsync);
        }
    }
}
