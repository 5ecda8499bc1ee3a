package dev.replog.client.write;

import dev.replog.client.error.ReplogException;

/**
 * What the client reports about writes, for metrics. Called on the thread that completed the write:
 * implementations must be quick and must not block.
 */
public interface WriteListener {

    /** Does nothing. */
    WriteListener NONE = new WriteListener() {
    };

    /** {@code messages} messages were appended in one request (1 for a single append). */
    default void appended(int messages) {
    }

    /** A request ended in {@code failure} after its retries; it carried {@code messages} messages. */
    default void failed(int messages, ReplogException failure) {
    }

    /** An attempt failed and will be retried (on the same or another node). */
    default void retried(String reason) {
    }
}
