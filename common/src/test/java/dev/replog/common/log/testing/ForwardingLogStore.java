package dev.replog.common.log.testing;

import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A store that hands every call to another: tests override the calls they watch or change (shared
 * through common's test jar).
 */
public abstract class ForwardingLogStore implements LogStore {

    protected final LogStore delegate;

    protected ForwardingLogStore(LogStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long lastSeq() {
        return delegate.lastSeq();
    }

    @Override
    public long durableSeq() {
        return delegate.durableSeq();
    }

    @Override
    public Optional<Entry> get(long seq) {
        return delegate.get(seq);
    }

    @Override
    public CompletableFuture<Long> append(List<Entry> entries) {
        return delegate.append(entries);
    }

    @Override
    public CompletableFuture<Long> appendRecords(List<LogRecord> records) {
        return delegate.appendRecords(records);
    }

    @Override
    public List<LogRecord> readRecords(long fromSeq, int limit, long maxBytes) {
        return delegate.readRecords(fromSeq, limit, maxBytes);
    }

    @Override
    public void truncateAfter(long seq) {
        delegate.truncateAfter(seq);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
