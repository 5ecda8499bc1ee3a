package dev.replog.master.epoch;

import dev.replog.master.datadir.DurableCounter;

import java.nio.file.Path;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Epochs from a durable local counter (when no sync-service is configured). A master whose data
 * dir was lost starts the counter again, so it also jumps above what secondaries saw.
 */
final class LocalEpochSource implements EpochSource {

    private final DurableCounter counter;

    LocalEpochSource(Path file) {
        this.counter = new DurableCounter(file);
    }

    @Override
    public Mono<NewEpoch> takeNewEpoch(long seenElsewhere, long lastTaken) {
        // fsync and rename: file I/O, so off the event loops
        return Mono.fromCallable(() -> {
            synchronized (counter) {
                // another master's epochs come from its own counter: this one cannot see them
                return new NewEpoch(counter.advance(Math.max(1, seenElsewhere + 1 - counter.value())), false);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
