package dev.replog.master.log;

import reactor.core.publisher.Mono;

/**
 * Gives the master a new epoch at each start, greater than every epoch any master took before,
 * so secondaries can refuse a stale master.
 */
public interface EpochSource {

    /**
     * Takes a new epoch above both every epoch this source handed out and {@code seenElsewhere}
     * (the highest epoch a secondary reports); it is durable before the Mono emits it. Never
     * blocks the subscribing thread.
     */
    Mono<Long> takeNewEpoch(long seenElsewhere);
}
