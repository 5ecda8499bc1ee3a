package dev.replog.master.log;

import dev.replog.master.ids.IdSource;

import java.util.concurrent.atomic.AtomicLong;

/** Ids 1, 2, 3, ...: what a sync cluster would hand out, without one. */
public final class CountingIds implements IdSource {

    private final AtomicLong next = new AtomicLong(1);

    @Override
    public long next() {
        return next.getAndIncrement();
    }

    @Override
    public void advancePast(long id) {
        next.accumulateAndGet(id + 1, Math::max);
    }

    @Override
    public String source() {
        return "test";
    }

    @Override
    public long remaining() {
        return Long.MAX_VALUE;
    }
}
