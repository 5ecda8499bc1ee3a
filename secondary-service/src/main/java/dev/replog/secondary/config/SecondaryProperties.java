package dev.replog.secondary.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a secondary, under {@code replog.*}; each is also an environment variable
 * ({@code REPLOG_NODE_NAME}, {@code REPLOG_REPLICATION_DELAY}, ...).
 *
 * @param nodeName        the node's name, reported by {@code GET /replication/status}
 * @param dataDir         where the node keeps its log (unused until the file store exists)
 * @param maxMessageBytes the largest message accepted in a replicated entry (UTF-8 bytes)
 * @param replication     how replication requests from the master are handled
 */
@ConfigurationProperties(prefix = "replog")
@Validated
public record SecondaryProperties(
        @DefaultValue("secondary") @NotBlank String nodeName,
        @DefaultValue("data") @NotNull Path dataDir,
        @DefaultValue("1MB") @NotNull DataSize maxMessageBytes,
        @DefaultValue @NotNull @Valid Replication replication) {

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
     */
    public record Replication(
            @DefaultValue("0s") @NotNull Duration delay,
            @DefaultValue("100000") @Min(0) int maxPending) {

        public Replication {
            if (delay != null && delay.isNegative()) {
                throw new IllegalArgumentException("replog.replication.delay must not be negative, was " + delay);
            }
        }
    }
}
