package dev.replog.secondary.replication;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/** Builds append batches for tests: the master's log has id {@code seq * 10} at each seq. */
final class Batches {

    /** The master's id at a seq. */
    static final LongUnaryOperator MASTER_ID = seq -> seq * 10;

    private Batches() {
    }

    /** Entries {@code from..to} of the master's log, after entry {@code from - 1}. */
    static AppendRequest batch(long epoch, long from, long to) {
        return batch(epoch, from, to, MASTER_ID);
    }

    /** Entries {@code from..to} with ids from {@code ids}, after entry {@code from - 1} of that log. */
    static AppendRequest batch(long epoch, long from, long to, LongUnaryOperator ids) {
        long prevSeq = from - 1;
        return new AppendRequest(epoch, prevSeq, prevSeq == 0 ? 0 : ids.applyAsLong(prevSeq), entries(from, to, ids));
    }

    static List<Entry> entries(long from, long to) {
        return entries(from, to, MASTER_ID);
    }

    static List<Entry> entries(long from, long to, LongUnaryOperator ids) {
        List<Entry> entries = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            entries.add(new Entry(seq, ids.applyAsLong(seq), "message " + seq));
        }
        return entries;
    }
}
