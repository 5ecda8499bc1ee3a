package dev.replog.common.protocol;

import dev.replog.common.text.Utf8;
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
        int surrogate = Utf8.unpairedSurrogate(message);
        if (surrogate >= 0) {
            throw new IllegalArgumentException("message holds an unpaired UTF-16 surrogate at index " + surrogate
                    + ", which has no UTF-8 form");
        }
    }
}
