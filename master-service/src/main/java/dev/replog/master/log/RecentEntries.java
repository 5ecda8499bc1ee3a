package dev.replog.master.log;

import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Each slot holds an {@link Entry}, or a {@link Keyed} one when its write carried a key. */
    private final AtomicReferenceArray<Object> slots;
    private final int mask;
    /** The most message chars held at once: a full ring of 1 MiB messages would be gigabytes. */
    private final long maxChars;
    /** Message chars held now; writer thread only. */
    private long heldChars;

    /**
     * @param capacity slots, rounded up to a power of two
     * @param maxChars the most message chars held at once; an entry that would pass it is not held
     *                 (a miss: the reader reads the files), while the entries it overwrites free theirs
     */
    RecentEntries(int capacity, long maxChars) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.maxChars = maxChars;
    }

    /** Writer thread only: the entry just written (seqs in increasing order) and its key (null: none). */
    void put(Entry entry, String key) {
        int slot = slot(entry.seq());
        heldChars -= chars(slots.get(slot));
        long chars = entry.message().length();
        // readers check the seq; a lagging read only misses
        if (heldChars + chars > maxChars) {
            slots.lazySet(slot, null);
            return;
        }
        heldChars += chars;
        slots.lazySet(slot, key == null || key.isEmpty() ? entry : new Keyed(entry, key));
    }

    /** Message chars held now (writer thread, and tests). */
    long heldChars() {
        return heldChars;
    }

    private static long chars(Object held) {
        Entry entry = held instanceof Keyed keyed ? keyed.entry() : (Entry) held;
        return entry == null ? 0 : entry.message().length();
    }

    /** As {@link #put(Entry, String)}, for an entry written without a key. */
    void put(Entry entry) {
        put(entry, null);
    }

    /** Writer thread only: forgets every entry (the log was truncated). */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
        heldChars = 0;
    }

    /** The entry at {@code seq}, or null when it is no longer (or not yet) held. */
    Entry get(long seq) {
        return seq < 1 ? null : entryAt(seq, slots.get(slot(seq)));
    }

    /**
     * Entries {@code from..from+count-1} with the keys they were written with, or null unless every
     * one of them is held. Each slot is read once, so an entry and its key always belong together.
     */
    KeyedEntries range(long from, int count) {
        List<Entry> out = new ArrayList<>(count);
        Map<Long, String> keys = null;
        for (long seq = from; seq < from + count; seq++) {
            Object held = slots.get(slot(seq));
            Entry entry = entryAt(seq, held);
            if (entry == null) {
                return null;
            }
            out.add(entry);
            if (held instanceof Keyed keyed) {
                if (keys == null) {
                    keys = new HashMap<>();
                }
                keys.put(seq, keyed.key());
            }
        }
        return new KeyedEntries(out, keys);
    }

    private static Entry entryAt(long seq, Object held) {
        Entry entry = held instanceof Keyed keyed ? keyed.entry() : (Entry) held;
        return entry != null && entry.seq() == seq ? entry : null;
    }

    private int slot(long seq) {
        return (int) (seq & mask);
    }

    private record Keyed(Entry entry, String key) {
    }
}
