package dev.replog.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Consecutive entries of a secondary's log with the idempotency keys they were written with
 * ({@code GET /replication/entries}): what a master that lost its disk fetches back, keys
 * included, so that a client's retry is still recognised after the recovery.
 *
 * @param keys the key of each entry written with one, by seq (omitted when none)
 */
public record KeyedEntries(List<Entry> entries, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Long, String> keys) {

    public KeyedEntries {
        entries = List.copyOf(entries == null ? List.of() : entries);
        keys = keys == null ? Map.of() : Map.copyOf(keys);
    }
}
