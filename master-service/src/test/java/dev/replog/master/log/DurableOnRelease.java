package dev.replog.master.log;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.testing.ForwardingLogStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory store whose appends are written at once but become durable only when the test
 * {@link #release releases} them, as a file store's during a long fsync.
 */
public final class DurableOnRelease extends ForwardingLogStore {

    private final List<CompletableFuture<Long>> waiting = new CopyOnWriteArrayList<>();
    private volatile long durable;

    public DurableOnRelease() {
        super(new InMemoryLogStore());
    }

    @Override
    public CompletableFuture<Long> appendRecords(List<LogRecord> records) {
        super.appendRecords(records);
        CompletableFuture<Long> madeDurable = new CompletableFuture<>();
        waiting.add(madeDurable);
        return madeDurable;
    }

    @Override
    public long durableSeq() {
        return durable;
    }

    /** Makes everything written so far durable and completes the appends waiting for it. */
    public void release() {
        durable = lastSeq();
        waiting.forEach(future -> future.complete(durable));
    }
}
