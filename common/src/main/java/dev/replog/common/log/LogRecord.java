package dev.replog.common.log;

import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one stored record carries: the {@link Entry} fields plus the epoch of the master that
 * wrote it (the epoch in which it was first appended, kept as it is copied from node to node, as a
 * Raft entry keeps its term) and the client's idempotency key ({@code ""} when none), so that a restarted master
 * still recognises retried requests. {@link LogStore#append} stores entries with epoch 0
 * ("unknown") and no key.
 */
public record LogRecord(long seq, long id, long epoch, String idempotencyKey, String message) {

    public LogRecord {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
        if (id < 1) {
            throw new IllegalArgumentException("id must be >= 1, was " + id);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, was " + epoch);
        }
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(message, "message");
    }

    public static LogRecord of(Entry entry) {
        return of(entry, 0L, "");
    }

    public static LogRecord of(Entry entry, long epoch, String idempotencyKey) {
        return new LogRecord(entry.seq(), entry.id(), epoch, idempotencyKey == null ? "" : idempotencyKey,
                entry.message());
    }

    public Entry toEntry() {
        return new Entry(seq, id, message);
    }

    /** The records' entries, with the key of each record that has one and the epoch of each. */
    public static KeyedEntries keyed(List<LogRecord> records) {
        List<Entry> entries = new ArrayList<>(records.size());
        Map<Long, String> keys = new HashMap<>();
        Map<Long, Long> epochs = new HashMap<>();
        for (LogRecord record : records) {
            entries.add(record.toEntry());
            if (!record.idempotencyKey().isEmpty()) {
                keys.put(record.seq(), record.idempotencyKey());
            }
            epochs.put(record.seq(), record.epoch());
        }
        return new KeyedEntries(entries, keys, epochs);
    }
}
