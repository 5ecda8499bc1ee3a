package dev.replog.master.epoch;

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
     *
     * @param lastTaken the highest epoch this master's data dir took before (0: none recorded)
     */
    Mono<NewEpoch> takeNewEpoch(long seenElsewhere, long lastTaken);

    /**
     * An epoch just taken.
     *
     * @param epoch          the epoch
     * @param othersTookSome whether the source handed out an epoch above {@code lastTaken} to
     *                       someone else before this one: another master may have led since. A
     *                       source that cannot know (a local counter) says false.
     */
    record NewEpoch(long epoch, boolean othersTookSome) {
    }
}
