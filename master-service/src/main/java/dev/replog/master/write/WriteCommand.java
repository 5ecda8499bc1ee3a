package dev.replog.master.write;

import dev.replog.common.protocol.WriteConcern;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated write: the message, its write concern, an optional bound on the wait and an
 * optional idempotency key.
 *
 * @param timeout        how long to wait for the write concern; null waits until it is met
 * @param idempotencyKey null when the client sent none
 */
public record WriteCommand(String message, WriteConcern w, Duration timeout, String idempotencyKey) {

    public WriteCommand {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(w, "w");
    }
}
