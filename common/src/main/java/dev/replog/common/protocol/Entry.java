package dev.replog.common.protocol;

import java.util.Objects;

/**
 * One entry of the log: its place in the total order ({@code seq}, from 1 without gaps), its
 * permanent {@code id} (unique forever, strictly increasing with {@code seq}) and the message.
 */
public record Entry(long seq, long id, String message) {

    public Entry {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
        if (id < 1) {
            throw new IllegalArgumentException("id must be >= 1, was " + id);
        }
        Objects.requireNonNull(message, "message");
    }
}
