package dev.replog.client.producer;

import dev.replog.client.write.WriteConcern;
import java.time.Duration;

/**
 * How a {@link ReplogProducer} gathers messages into {@code POST /messages/batch} requests, as
 * Kafka's producer does: a batch is sent when it holds {@code batchSize} messages or
 * {@code maxBatchBytes}, or when its first message has waited {@code linger}.
 *
 * @param w               the write concern of every batch
 * @param linger          how long a message may wait for others to join its batch
 * @param batchSize       most messages in one batch (the master takes at most 1000)
 * @param maxBatchBytes   most UTF-8 bytes of messages in one batch (the master takes at most 4 MB)
 * @param maxMessageBytes the largest message accepted (the master's {@code replog.max-message-bytes}, 1 MiB);
 *                        a larger one fails at once instead of failing its whole batch
 * @param maxInFlight     batch requests sent and not yet answered, at most; 1 keeps batches in order
 * @param bufferedLimit   messages waiting to be sent, at most: beyond, {@code send} fails at once
 * @param timeout         how long one batch may take, retries included
 */
public record ProducerSettings(WriteConcern w, Duration linger, int batchSize, long maxBatchBytes,
        long maxMessageBytes, int maxInFlight, int bufferedLimit, Duration timeout) {

    /** The master's largest batch. */
    public static final int MAX_BATCH_SIZE = 1000;

    /** w=1, linger 5 ms, batches of up to 500 messages or 1 MiB, 4 in flight, 100,000 buffered, 2 min. */
    public static final ProducerSettings DEFAULTS = new ProducerSettings(WriteConcern.ONE, Duration.ofMillis(5), 500,
            1 << 20, 1 << 20, 4, 100_000, Duration.ofMinutes(2));

    public ProducerSettings {
        if (w == null || linger == null || timeout == null) {
            throw new IllegalArgumentException("w, linger and timeout are required");
        }
        if (linger.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("linger must be >= 0 and timeout > 0");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        if (maxBatchBytes < 1 || maxMessageBytes < 1 || maxInFlight < 1 || bufferedLimit < 1) {
            throw new IllegalArgumentException("maxBatchBytes, maxMessageBytes, maxInFlight and bufferedLimit must be >= 1");
        }
    }

    /** These settings with write concern {@code w}. */
    public ProducerSettings withW(WriteConcern w) {
        return new ProducerSettings(w, linger, batchSize, maxBatchBytes, maxMessageBytes, maxInFlight, bufferedLimit,
                timeout);
    }

    /** These settings with {@code linger} and {@code batchSize}. */
    public ProducerSettings withBatching(Duration linger, int batchSize) {
        return new ProducerSettings(w, linger, batchSize, maxBatchBytes, maxMessageBytes, maxInFlight, bufferedLimit,
                timeout);
    }

    /** These settings with at most {@code maxInFlight} batch requests unanswered. */
    public ProducerSettings withMaxInFlight(int maxInFlight) {
        return new ProducerSettings(w, linger, batchSize, maxBatchBytes, maxMessageBytes, maxInFlight, bufferedLimit,
                timeout);
    }
}
