package dev.replog.common.web;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of the live tail ({@code replog.stream.*}), the same on every node that serves
 * {@code GET /messages/stream}; each service binds them as the {@code stream} member of its own
 * properties record.
 *
 * @param keepAlive the time between two keep-alive comments on the stream (positive); the stream
 *                  also opens with one, so its headers go out at once
 */
public record StreamSettings(@DefaultValue("15s") Duration keepAlive) {

    public StreamSettings {
        if (keepAlive == null || keepAlive.isZero() || keepAlive.isNegative()) {
            throw new IllegalArgumentException("replog.stream.keep-alive must be positive, was " + keepAlive);
        }
    }
}
