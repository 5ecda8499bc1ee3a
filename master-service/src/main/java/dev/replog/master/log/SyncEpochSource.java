package dev.replog.master.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Epochs from the sync-service sequence {@code master-epoch}: each start takes a range of one
 * number, so every master start gets an epoch above every earlier one, decided by the sync
 * cluster's majority (no local file to lose). If a secondary reports a higher epoch (say, from a
 * time the master used local counters), one range jumps the sequence past it.
 */
final class SyncEpochSource implements EpochSource {

    static final String SEQUENCE = "master-epoch";
    private static final long MAX_RANGE = 1_000_000;
    private static final Logger log = LoggerFactory.getLogger(SyncEpochSource.class);

    private final SyncClient client;

    SyncEpochSource(SyncClient client) {
        this.client = client;
    }

    @Override
    public Mono<Long> takeNewEpoch(long seenElsewhere) {
        return client.range(SEQUENCE, 1).flatMap(range -> {
            if (range.to() > seenElsewhere) {
                log.info("Took epoch {} from the sync cluster (sequence {})", range.to(), SEQUENCE);
                return Mono.just(range.to());
            }
            // Jump the sequence past the epoch a secondary saw: the range's end is then above it.
            long jump = Math.min(MAX_RANGE, seenElsewhere - range.to() + 1);
            log.info("Epoch {} from the sync cluster is not above {} seen on a secondary; taking {} more", range.to(),
                    seenElsewhere, jump);
            return client.range(SEQUENCE, jump).flatMap(jumped -> jumped.to() > seenElsewhere
                    ? Mono.just(jumped.to()).doOnNext(epoch -> log.info("Took epoch {} from the sync cluster", epoch))
                    : takeNewEpoch(seenElsewhere));
        });
    }
}
