package dev.replog.master.log;

import java.nio.file.Path;

/** Epochs from a durable local counter, until the sync-service hands them out by quorum. */
final class LocalEpochSource implements EpochSource {

    private final DurableCounter counter;

    LocalEpochSource(Path file) {
        this.counter = new DurableCounter(file);
    }

    @Override
    public long takeNewEpoch() {
        return counter.advance(1);
    }
}
