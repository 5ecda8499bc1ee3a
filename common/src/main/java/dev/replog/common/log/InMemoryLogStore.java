package dev.replog.common.log;

import dev.replog.common.protocol.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link LogStore} held in memory: every append is "durable" as soon as it returns. Used until
 * the file store exists and by tests; a restart loses everything, which the master's catch-up
 * repairs on secondaries.
 */
public final class InMemoryLogStore implements LogStore {

    private final List<LogRecord> entries = new ArrayList<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Published after each change: the watermarks are read without a lock, like the file store's. */
    private volatile long size;

    @Override
    public long lastSeq() {
        return size;
    }

    @Override
    public long durableSeq() {
        return lastSeq();
    }

    @Override
    public Optional<Entry> get(long seq) {
        lock.readLock().lock();
        try {
            if (seq < 1 || seq > entries.size()) {
                return Optional.empty();
            }
            return Optional.of(entries.get((int) (seq - 1)).toEntry());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@inheritDoc} A record takes its message's and its key's length in chars. */
    @Override
    public List<LogRecord> readRecords(long fromSeq, int limit, long maxBytes) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        lock.readLock().lock();
        try {
            long start = Math.max(fromSeq, 1);
            if (start > entries.size() || limit == 0) {
                return List.of();
            }
            int from = (int) (start - 1);
            int end = (int) Math.min(entries.size(), start - 1 + limit);
            long bytes = 0;
            for (int i = from; i < end; i++) {
                LogRecord record = entries.get(i);
                bytes += record.message().length() + record.idempotencyKey().length();
                if (bytes > maxBytes && i > from) {
                    end = i;
                    break;
                }
            }
            return List.copyOf(entries.subList(from, end));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public CompletableFuture<Long> append(List<Entry> batch) {
        return appendRecords(batch.stream().map(LogRecord::of).toList());
    }

    @Override
    public CompletableFuture<Long> appendRecords(List<LogRecord> batch) {
        lock.writeLock().lock();
        try {
            long expected = entries.size() + 1L;
            for (LogRecord entry : batch) {
                if (entry.seq() != expected) {
                    throw new IllegalArgumentException(
                            "append must continue the log: expected seq " + expected + ", got " + entry.seq());
                }
                expected++;
            }
            entries.addAll(batch);
            size = entries.size();
            return CompletableFuture.completedFuture((long) entries.size());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void truncateAfter(long seq) {
        lock.writeLock().lock();
        try {
            if (seq < entries.size()) {
                entries.subList((int) Math.max(seq, 0), entries.size()).clear();
            }
            size = entries.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
