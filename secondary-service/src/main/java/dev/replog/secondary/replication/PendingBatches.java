package dev.replog.secondary.replication;

import dev.replog.common.protocol.AppendRequest;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches that arrived past a gap, kept aside (never shown) until the log reaches them; keyed by
 * their first seq and bounded by a number of entries. Not thread-safe: {@link ReplicaLog} guards it.
 */
final class PendingBatches {

    private static final Logger log = LoggerFactory.getLogger(PendingBatches.class);

    private final NavigableMap<Long, AppendRequest> byFirstSeq = new TreeMap<>();
    private final int maxEntries;
    private long entries;

    PendingBatches(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * Keeps a non-empty batch aside. A retry of a batch already held is not held twice; when over
     * the bound, the batches farthest from the end of the log are dropped first (the master resends
     * them anyway: it always resumes from the watermark).
     */
    void hold(AppendRequest batch) {
        long firstSeq = batch.prevSeq() + 1;
        AppendRequest held = byFirstSeq.get(firstSeq);
        if (held != null && held.entries().size() >= batch.entries().size()) {
            return;
        }
        if (held != null) {
            entries -= held.entries().size();
        }
        byFirstSeq.put(firstSeq, batch);
        entries += batch.entries().size();
        while (entries > maxEntries) {
            Map.Entry<Long, AppendRequest> farthest = byFirstSeq.pollLastEntry();
            AppendRequest dropped = farthest.getValue();
            entries -= dropped.entries().size();
            log.info("dropped held-aside entries {}..{}: more than {} entries were waiting for a gap to fill",
                    farthest.getKey(), dropped.lastSeq(), maxEntries);
        }
    }

    /**
     * Removes and returns the nearest held batch that reaches the log's end ({@code prevSeq <= lastSeq})
     * and still brings something new; batches already entirely in the log are discarded on the way.
     */
    Optional<AppendRequest> takeContinuing(long lastSeq) {
        while (!byFirstSeq.isEmpty()) {
            AppendRequest nearest = byFirstSeq.firstEntry().getValue();
            if (nearest.prevSeq() > lastSeq) {
                return Optional.empty();
            }
            byFirstSeq.pollFirstEntry();
            entries -= nearest.entries().size();
            if (nearest.lastSeq() > lastSeq) {
                return Optional.of(nearest);
            }
        }
        return Optional.empty();
    }

    /**
     * Forgets every held batch that reaches past {@code seq} (the end of the master's log: it
     * vouches for nothing after it; the master resends whatever it does hold). Returns how many
     * entries that was.
     */
    long dropPast(long seq) {
        long dropped = 0;
        var batches = byFirstSeq.values().iterator();
        while (batches.hasNext()) {
            AppendRequest batch = batches.next();
            if (batch.lastSeq() > seq) {
                batches.remove();
                dropped += batch.entries().size();
            }
        }
        entries -= dropped;
        return dropped;
    }

    /** Forgets every held batch; returns how many entries that was. */
    long clear() {
        long dropped = entries;
        byFirstSeq.clear();
        entries = 0;
        return dropped;
    }

    /** Entries held aside, counting a seq once per batch holding it. */
    long entries() {
        return entries;
    }
}
