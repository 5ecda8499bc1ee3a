package dev.replog.master.epoch;

import dev.replog.master.sync.SyncClient;

import dev.replog.common.protocol.EpochSequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Epochs from the sync-service sequence {@code master-epoch}: each start takes a range of one
 * number, so every master start gets an epoch above every earlier one, decided by the sync
 * cluster's majority (no local file to lose). If a secondary reports a higher epoch (say, from a
 * time the master used local counters), one range jumps the sequence past it.
 *
 * <p>Since the sequence is the cluster's one source of epochs, a range that does not start right
 * after the epoch this master took last shows that someone else took epochs in between: another
 * master started (and may have led) since. A range whose answer was lost, taken again on the next
 * node, looks the same; the master then only waits for every secondary, which is safe.
 */
final class SyncEpochSource implements EpochSource {

    static final String SEQUENCE = EpochSequence.NAME;
    private static final long MAX_RANGE = 1_000_000;
    private static final Logger log = LoggerFactory.getLogger(SyncEpochSource.class);

    private final SyncClient client;

    SyncEpochSource(SyncClient client) {
        this.client = client;
    }

    @Override
    public Mono<NewEpoch> takeNewEpoch(long seenElsewhere, long lastTaken) {
        return takeAbove(seenElsewhere, lastTaken + 1, false);
    }

    /**
     * Takes ranges until one ends above {@code seenElsewhere}; {@code expectedFrom} is where the
     * next range starts if nobody else took one since this master's last.
     */
    private Mono<NewEpoch> takeAbove(long seenElsewhere, long expectedFrom, boolean othersTookSome) {
        return client.range(SEQUENCE, 1).flatMap(range -> {
            // Only a range past the expected one is evidence: one before it means the sequence never saw
            // this data dir's epochs (they came from a local counter, or the sync cluster lost its disks).
            boolean others = othersTookSome || range.from() > expectedFrom;
            if (range.to() > seenElsewhere) {
                log.info("Took epoch {} from the sync cluster (sequence {})", range.to(), SEQUENCE);
                return Mono.just(new NewEpoch(range.to(), others));
            }
            // Jump the sequence past the epoch a secondary saw: the range's end is then above it.
            long jump = Math.min(MAX_RANGE, seenElsewhere - range.to() + 1);
            log.info("Epoch {} from the sync cluster is not above {} seen on a secondary; taking {} more", range.to(),
                    seenElsewhere, jump);
            return client.range(SEQUENCE, jump).flatMap(jumped -> {
                boolean othersSince = others || jumped.from() > range.to() + 1;
                if (jumped.to() > seenElsewhere) {
                    log.info("Took epoch {} from the sync cluster", jumped.to());
                    return Mono.just(new NewEpoch(jumped.to(), othersSince));
                }
                return takeAbove(seenElsewhere, jumped.to() + 1, othersSince);
            });
        });
    }
}
