package dev.replog.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Consecutive entries of a log with what each record carries beside the entry: the idempotency
 * key it was written with and the epoch of the master that wrote it ({@code GET
 * /replication/entries}). What a master that lost its disk fetches back: keys, so that a client's
 * retry is still recognised after the recovery; epochs, so that every node keeps telling how up to
 * date its log is by the epoch that wrote its last entry.
 *
 * @param keys   the key of each entry written with one, by seq (omitted when none)
 * @param epochs the epoch that wrote each entry, by seq (omitted when unknown: entries held only in
 *               a master's memory, which its own epoch wrote)
 */
public record KeyedEntries(List<Entry> entries, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Long, String> keys,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Long, Long> epochs) {

    public KeyedEntries {
        entries = List.copyOf(entries == null ? List.of() : entries);
        keys = keys == null ? Map.of() : Map.copyOf(keys);
        epochs = epochs == null ? Map.of() : Map.copyOf(epochs);
    }

    /** Entries with their keys, epochs not known. */
    public KeyedEntries(List<Entry> entries, Map<Long, String> keys) {
        this(entries, keys, Map.of());
    }

    /** The epoch that wrote the entry at {@code seq}, or {@code otherwise} when not known. */
    public long epochAt(long seq, long otherwise) {
        Long epoch = epochs.get(seq);
        return epoch == null ? otherwise : epoch;
    }
}
