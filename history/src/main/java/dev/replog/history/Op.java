package dev.replog.history;

import java.util.Objects;

/**
 * One event of a {@link History}: a client invoking a write ({@link Type#INVOKE}) or the write's
 * completion ({@link Type#OK}, {@link Type#FAIL}, {@link Type#INFO}), as in Jepsen's histories.
 *
 * @param index   the event's position in its history (0, 1, 2, ...): an event with a lower index
 *                happened before one with a higher index, which is all the real-time order the
 *                checker needs
 * @param type    what the event is
 * @param client  the writing client (a logical process: one write in flight at a time)
 * @param message the message written; unique per invocation, so it names the write
 * @param w       the write concern sent ({@code "1"}, {@code "2"}, {@code "majority"}, {@code "all"} ...)
 * @param seq     the seq the master answered with (201, or 504 which carries it); 0 when unknown
 * @param id      the permanent id the master answered with (201); 0 when unknown
 * @param nanos   when it was recorded, in ns since the history started (for people reading it)
 * @param detail  for fail and info: what the client saw (status and problem title, or the exception)
 */
public record Op(long index, Type type, int client, String message, String w, long seq, long id, long nanos,
        String detail) {

    /** What an event is. */
    public enum Type {
        /** The client sent the write. */
        INVOKE,
        /** Acknowledged (201): it must be on every node, once, at this seq and id. */
        OK,
        /** Definitely not written (4xx, or a 503 that says nothing was appended): it must be on no node. */
        FAIL,
        /** Outcome unknown (timeout, connection reset, 504, another 5xx): it may be on the nodes, at most once. */
        INFO
    }

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(w, "w");
        detail = detail == null ? "" : detail;
        if (seq < 0 || id < 0) {
            throw new IllegalArgumentException("seq and id are positive, or 0 when unknown: " + seq + ", " + id);
        }
    }

    /** Whether this is a completion (ok, fail or info) rather than an invocation. */
    public boolean isCompletion() {
        return type != Type.INVOKE;
    }

    /** One line: {@code #12 c3 OK "m-1" w=2 seq=5 id=17 (detail) @1.234s}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder()
                .append('#').append(index).append(" c").append(client).append(' ').append(type)
                .append(" \"").append(message).append("\" w=").append(w);
        if (seq > 0) {
            out.append(" seq=").append(seq);
        }
        if (id > 0) {
            out.append(" id=").append(id);
        }
        if (!detail.isEmpty()) {
            out.append(" (").append(detail).append(')');
        }
        return out.append(String.format(" @%.3fs", nanos / 1e9)).toString();
    }
}
