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
        int surrogate = unpairedSurrogate(message);
        if (surrogate >= 0) {
            throw new IllegalArgumentException("message holds an unpaired UTF-16 surrogate at index " + surrogate
                    + ", which has no UTF-8 form");
        }
    }

    /**
     * The index of the first surrogate in {@code text} that is not half of a pair, or -1. Such a
     * string (JSON allows {@code "\ud800"}) has no UTF-8 form: it could be stored only altered.
     */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
