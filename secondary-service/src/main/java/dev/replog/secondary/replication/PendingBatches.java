package dev.replog.secondary.replication;

import dev.replog.common.protocol.AppendRequest;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches that arrived past a gap, kept aside (never shown) until the log reaches them; keyed by
 * their first seq and bounded by a number of entries. Each held batch carries the future its
 * senders wait on: completed with the write that applies it, or failed with {@link Dropped} when it
 * is forgotten instead. Not thread-safe: {@link ReplicaLog} guards it.
 */
final class PendingBatches {

    private static final Logger log = LoggerFactory.getLogger(PendingBatches.class);

    /** A held batch and what its senders wait on: the seq durable once the write applying it is. */
    record Held(AppendRequest batch, CompletableFuture<Long> applied) {
    }

    /** A held batch was forgotten without being applied: its sender resends from the watermark. */
    static final class Dropped extends RuntimeException {
        Dropped(String why) {
            super(why, null, false, false);
        }
    }

    private final NavigableMap<Long, Held> byFirstSeq = new TreeMap<>();
    private final int maxEntries;
    private long entries;

    PendingBatches(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * Keeps a non-empty batch aside and returns what its sender waits on. A retry of a batch
     * already held is not held twice (a longer one replaces it, and both senders wait on the same
     * future); when over the bound, the batches farthest from the end of the log are dropped first
     * (the master resends them anyway: it always resumes from the watermark).
     */
    CompletableFuture<Long> hold(AppendRequest batch) {
        long firstSeq = batch.prevSeq() + 1;
        Held held = byFirstSeq.get(firstSeq);
        if (held != null && held.batch().entries().size() >= batch.entries().size()) {
            return held.applied();
        }
        CompletableFuture<Long> applied = held != null ? held.applied() : new CompletableFuture<>();
        if (held != null) {
            entries -= held.batch().entries().size();
        }
        byFirstSeq.put(firstSeq, new Held(batch, applied));
        entries += batch.entries().size();
        while (entries > maxEntries) {
            Map.Entry<Long, Held> farthest = byFirstSeq.pollLastEntry();
            Held dropped = farthest.getValue();
            entries -= dropped.batch().entries().size();
            String why = "more than " + maxEntries + " entries were waiting for a gap to fill";
            log.info("dropped held-aside entries {}..{}: {}", farthest.getKey(), dropped.batch().lastSeq(), why);
            dropped.applied().completeExceptionally(new Dropped(why));
        }
        return applied;
    }

    /**
     * Removes and returns the nearest held batch that reaches the log's end ({@code prevSeq <= lastSeq})
     * and still brings something new; batches already entirely in the log are discarded on the way
     * (their senders are told to resend: the log was filled by other batches, not checked against them).
     */
    Optional<Held> takeContinuing(long lastSeq) {
        while (!byFirstSeq.isEmpty()) {
            Held nearest = byFirstSeq.firstEntry().getValue();
            if (nearest.batch().prevSeq() > lastSeq) {
                return Optional.empty();
            }
            byFirstSeq.pollFirstEntry();
            entries -= nearest.batch().entries().size();
            if (nearest.batch().lastSeq() > lastSeq) {
                return Optional.of(nearest);
            }
            nearest.applied().completeExceptionally(new Dropped("the log already holds seqs up to " + lastSeq));
        }
        return Optional.empty();
    }

    /** Forgets every held batch ({@code why} goes to their senders); returns how many entries that was. */
    long clear(String why) {
        long dropped = entries;
        byFirstSeq.values().forEach(held -> held.applied().completeExceptionally(new Dropped(why)));
        byFirstSeq.clear();
        entries = 0;
        return dropped;
    }

    /** Entries held aside, counting a seq once per batch holding it. */
    long entries() {
        return entries;
    }
}
