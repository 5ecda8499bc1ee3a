package dev.replog.master.log;

import dev.replog.common.protocol.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last entries the master appended, in memory, so a replicator that keeps up builds its next
 * batch without reading the segment files, and so without leaving the thread it runs on (reading a
 * file must not happen on an event loop; handing each batch to another thread costs more CPU than
 * building it). A ring of {@code capacity} slots indexed by seq: one writer (the log writer thread)
 * fills it, any thread reads it. A slot overwritten by a later seq, or a seq never put, reads as a
 * miss, and the caller reads the files instead.
 */
final class RecentEntries {

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;

    /** @param capacity slots, rounded up to a power of two */
    RecentEntries(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** Writer thread only: the entry just written (seqs in increasing order). */
    void put(Entry entry) {
        slots.lazySet(slot(entry.seq()), entry); // readers check the seq; a lagging read only misses
    }

    /** The entry at {@code seq}, or null when it is no longer (or not yet) held. */
    Entry get(long seq) {
        Entry entry = seq < 1 ? null : slots.get(slot(seq));
        return entry != null && entry.seq() == seq ? entry : null;
    }

    /** Entries {@code from..from+count-1}, or null unless every one of them is held. */
    List<Entry> range(long from, int count) {
        List<Entry> out = new ArrayList<>(count);
        for (long seq = from; seq < from + count; seq++) {
            Entry entry = get(seq);
            if (entry == null) {
                return null;
            }
            out.add(entry);
        }
        return out;
    }

    private int slot(long seq) {
        return (int) (seq & mask);
    }
}
