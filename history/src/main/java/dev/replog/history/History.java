package dev.replog.history;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe recorder of write operations: every client records {@link #invoke} before it
 * sends a write and exactly one of {@link #ok}, {@link #fail} or {@link #info} when it knows the
 * outcome. Events are numbered in the order they are recorded, so an event recorded after another
 * happened after it; an invocation left without completion counts as {@code info}.
 */
public final class History {

    private final List<Op> ops = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    /** Records that {@code client} sends {@code message} with write concern {@code w}. */
    public synchronized Op invoke(int client, String message, String w) {
        return add(Op.Type.INVOKE, client, message, w, 0, 0, "");
    }

    /** The write was acknowledged at {@code seq} with permanent id {@code id}. */
    public synchronized Op ok(Op invocation, long seq, long id) {
        if (seq <= 0 || id <= 0) {
            throw new IllegalArgumentException("an acknowledged write has a seq and an id: " + seq + ", " + id);
        }
        return complete(invocation, Op.Type.OK, seq, id, "");
    }

    /** The write was definitely not appended (a 4xx, or a 503 that says so). */
    public synchronized Op fail(Op invocation, String detail) {
        return complete(invocation, Op.Type.FAIL, 0, 0, detail);
    }

    /** The write's outcome is unknown; {@code seq} is the seq a 504 names, 0 if none. */
    public synchronized Op info(Op invocation, long seq, String detail) {
        return complete(invocation, Op.Type.INFO, seq, 0, detail);
    }

    /** Nanoseconds since the history started: the clock of {@link Op#nanos()}, for logs kept beside it. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** A snapshot of every event so far, in order. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public synchronized int size() {
        return ops.size();
    }

    private Op complete(Op invocation, Op.Type type, long seq, long id, String detail) {
        if (invocation.type() != Op.Type.INVOKE) {
            throw new IllegalArgumentException("not an invocation: " + invocation);
        }
        return add(type, invocation.client(), invocation.message(), invocation.w(), seq, id, detail);
    }

    private Op add(Op.Type type, int client, String message, String w, long seq, long id, String detail) {
        Op op = new Op(ops.size(), type, client, message, w, seq, id, System.nanoTime() - startNanos, detail);
        ops.add(op);
        return op;
    }
}
