package dev.replog.master.log;

import dev.replog.common.protocol.Entry;
import java.util.List;

/**
 * The outcome of {@link MessageLog#appendAll}: the entries, contiguous in seq order, and whether they
 * were appended now or found under the same idempotency key (a replay, nothing appended).
 */
public record AppendedBatch(List<Entry> entries, boolean replay) {

    public AppendedBatch {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one entry");
        }
        entries = List.copyOf(entries);
    }

    public Entry first() {
        return entries.get(0);
    }

    public Entry last() {
        return entries.get(entries.size() - 1);
    }
}
