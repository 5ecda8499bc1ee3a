package dev.replog.client.producer;

import dev.replog.client.write.AppendResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers messages into batches (Kafka's RecordAccumulator, for one log). A batch closes when it is
 * full (by count or bytes); the open batch becomes ready when its first message has waited the
 * linger, or at once when a flush asks for it. Thread-safe; time is passed in, so the rules are
 * tested without a clock.
 */
final class Accumulator {

    private final int batchSize;
    private final long maxBatchBytes;
    private final long lingerNanos;
    private final int bufferedLimit;
    private final Deque<Batch> closed = new ArrayDeque<>();
    private Batch open;
    private int buffered;
    private boolean flushing;

    Accumulator(int batchSize, long maxBatchBytes, long lingerNanos, int bufferedLimit) {
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
        this.lingerNanos = lingerNanos;
        this.bufferedLimit = bufferedLimit;
    }

    /**
     * What {@link #add} did: whether the message was taken, whether it opened a batch that now lingers
     * (its linger timer must be started) and whether a batch became ready (the sender must be woken).
     * Without an add that says so, no batch becomes ready before a linger ends or a flush asks.
     */
    enum Added {
        /** The message joined the open batch, which is still open. */
        JOINED_BATCH(false, false),
        /** The message opened a batch, which lingers. */
        OPENED_BATCH(true, false),
        /** The message filled its batch (joined or opened), which is ready now. */
        FILLED_BATCH(false, true),
        /** The message did not fit the open batch: that one is ready now, and the message opened one that lingers. */
        CLOSED_AND_OPENED_BATCH(true, true),
        /** The message was refused: {@code bufferedLimit} messages wait. */
        BUFFER_FULL(false, false);

        private final boolean startsLinger;
        private final boolean madeReady;

        Added(boolean startsLinger, boolean madeReady) {
            this.startsLinger = startsLinger;
            this.madeReady = madeReady;
        }

        /** True when the message opened a batch that is still open, whose linger starts now. */
        boolean startsLinger() {
            return startsLinger;
        }

        /** True when a batch became ready by this add. */
        boolean madeReady() {
            return madeReady;
        }
    }

    /**
     * Adds a message of {@code bytes} UTF-8 bytes to the open batch, closing it first if the message
     * would not fit (a message alone in a batch always fits).
     */
    synchronized Added add(String message, long bytes, CompletableFuture<AppendResult> future, long nowNanos) {
        if (buffered >= bufferedLimit) {
            return Added.BUFFER_FULL;
        }
        boolean closedBefore = false;
        if (open != null && open.bytes() + bytes > maxBatchBytes) {
            closed.add(open);
            open = null;
            closedBefore = true;
        }
        boolean opened = open == null;
        if (opened) {
            open = new Batch(nowNanos);
        }
        open.add(message, bytes, future);
        buffered++;
        if (open.size() >= batchSize) {
            // never after closedBefore: a batch stays open only while it holds fewer than batchSize
            // messages, so batchSize > 1 then and a message alone in a new batch does not fill it
            closed.add(open);
            open = null;
            return Added.FILLED_BATCH;
        }
        if (closedBefore) {
            return Added.CLOSED_AND_OPENED_BATCH;
        }
        return opened ? Added.OPENED_BATCH : Added.JOINED_BATCH;
    }

    /**
     * Removes and returns up to {@code max} batches that are ready at {@code nowNanos}: closed ones
     * (full) in the order they were made, then the open one if it has lingered long enough or a
     * flush is asked.
     */
    synchronized List<Batch> drain(int max, long nowNanos) {
        List<Batch> ready = new ArrayList<>();
        while (ready.size() < max && !closed.isEmpty()) {
            ready.add(closed.poll());
        }
        if (ready.size() < max && open != null && (flushing || nowNanos - open.createdNanos() >= lingerNanos)) {
            ready.add(open);
            open = null;
        }
        if (open == null && closed.isEmpty()) {
            flushing = false;
        }
        ready.forEach(batch -> buffered -= batch.size());
        return ready;
    }

    /** Makes every batch ready now, the open one included, until all have been drained. */
    synchronized void flush() {
        if (open != null || !closed.isEmpty()) {
            flushing = true;
        }
    }

    /** The batches not drained yet, closed ones and the open one. */
    synchronized List<Batch> waiting() {
        List<Batch> waiting = new ArrayList<>(closed);
        if (open != null) {
            waiting.add(open);
        }
        return waiting;
    }

    /** When the open batch's linger ends (nanos), or -1 when there is none. */
    synchronized long lingerEndsAt() {
        return open == null ? -1 : open.createdNanos() + lingerNanos;
    }

    /** Messages added and not yet drained. */
    synchronized int buffered() {
        return buffered;
    }

    /** True when a batch is ready to drain without waiting. */
    synchronized boolean hasReady(long nowNanos) {
        return !closed.isEmpty() || open != null && (flushing || nowNanos - open.createdNanos() >= lingerNanos);
    }
}
