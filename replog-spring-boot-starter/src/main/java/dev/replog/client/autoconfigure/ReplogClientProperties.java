package dev.replog.client.autoconfigure;

import dev.replog.client.producer.ProducerSettings;
import dev.replog.client.write.WriteConcern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The replog client's settings, bound from {@code replog.client.*}. The client is configured only
 * when {@code nodes} is set.
 *
 * @param nodes           the master and secondary URLs ({@code http://host:port}); writes try the first first,
 *                        the tail reads from the first first
 * @param syncNodes       the sync-service URLs, for ids and locks (empty: neither is available)
 * @param w               the write concern of {@code append(message)}: a number, {@code majority} or {@code all}
 * @param connectTimeout  how long opening a connection may take before the node counts as unreachable
 * @param requestTimeout  how long one attempt waits for its answer (the master is told to answer sooner)
 * @param deliveryTimeout how long a write without a timeout of its own is retried
 * @param syncTimeout     how long a sync-cluster call is retried across its nodes
 * @param tailIdleTimeout how long a tail's stream may stay silent before it reads from the next node
 * @param maxConnections  connections per node, at most
 * @param clientId        names this client in lock owners (empty: a random id)
 * @param producer        how the producer bean batches
 */
@ConfigurationProperties(prefix = "replog.client")
public record ReplogClientProperties(
        @DefaultValue List<String> nodes,
        @DefaultValue List<String> syncNodes,
        @DefaultValue("1") String w,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("2m") Duration deliveryTimeout,
        @DefaultValue("30s") Duration syncTimeout,
        @DefaultValue("45s") Duration tailIdleTimeout,
        @DefaultValue("128") int maxConnections,
        @DefaultValue("") String clientId,
        @DefaultValue Producer producer) {

    /** The default write concern, parsed. */
    public WriteConcern writeConcern() {
        return WriteConcern.parse(w);
    }

    /**
     * @param w             the write concern of every batch (empty: the client's {@code w})
     * @param linger        how long a message may wait for others to join its batch
     * @param batchSize     most messages in one batch (1..1000)
     * @param maxBatchBytes most UTF-8 bytes of messages in one batch (the master takes at most 4 MB)
     * @param maxInFlight   batch requests unanswered at a time, at most (1 keeps every message in order)
     * @param bufferedLimit messages waiting to be sent, at most; beyond, {@code send} fails at once
     * @param timeout       how long one batch may take, retries included
     */
    public record Producer(
            @DefaultValue("") String w,
            @DefaultValue("5ms") Duration linger,
            @DefaultValue("500") int batchSize,
            @DefaultValue("1048576") long maxBatchBytes,
            @DefaultValue("4") int maxInFlight,
            @DefaultValue("100000") int bufferedLimit,
            @DefaultValue("2m") Duration timeout) {

        /** These settings as the client takes them; {@code fallback} is used when {@code w} is empty. */
        public ProducerSettings settings(WriteConcern fallback) {
            WriteConcern concern = w.isBlank() ? fallback : WriteConcern.parse(w);
            return new ProducerSettings(concern, linger, batchSize, maxBatchBytes,
                    ProducerSettings.DEFAULTS.maxMessageBytes(), maxInFlight, bufferedLimit, timeout);
        }
    }
}
