package dev.replog.master.write;

import dev.replog.common.protocol.WriteConcern;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A validated batch write: the messages (at least one, appended contiguously, all or none), one
 * write concern for the whole batch, an optional bound on the wait and an optional idempotency key.
 *
 * @param timeout        how long to wait for the write concern; null waits until it is met
 * @param idempotencyKey null when the client sent none
 */
public record BatchCommand(List<String> messages, WriteConcern w, Duration timeout, String idempotencyKey) {

    public BatchCommand {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one message");
        }
        Objects.requireNonNull(w, "w");
    }
}
