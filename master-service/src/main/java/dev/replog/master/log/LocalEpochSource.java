package dev.replog.master.log;

import java.nio.file.Path;

/**
 * Epochs from a durable local counter, until the sync-service hands them out by quorum. A master
 * whose data dir was lost starts the counter again, so it also jumps above what secondaries saw.
 */
final class LocalEpochSource implements EpochSource {

    private final DurableCounter counter;

    LocalEpochSource(Path file) {
        this.counter = new DurableCounter(file);
    }

    @Override
    public long takeNewEpoch(long seenElsewhere) {
        return counter.advance(Math.max(1, seenElsewhere + 1 - counter.value()));
    }
}
