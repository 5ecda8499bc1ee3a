package dev.replog.master.ids;

import dev.replog.master.log.MessageLog;

import reactor.core.publisher.Mono;

/**
 * Hands out permanent ids: unique for the log forever and strictly increasing, across restarts.
 * {@link #next()} and {@link #advancePast(long)} are called only by the {@link MessageLog}'s single
 * writer. Gaps are allowed.
 */
public interface IdSource {

    /**
     * The next id. Never blocks and never waits: a source that would have to wait throws.
     *
     * @throws IdsUnavailableException when no id can be handed out now
     */
    long next();

    /** Makes every later id greater than {@code id} (ids found in a recovered log). */
    void advancePast(long id);

    /**
     * Completes, without blocking, once {@link #next()} can hand out an id; errors with
     * {@link IdsUnavailableException} when none became available within the source's bound.
     */
    default Mono<Void> awaitAvailable() {
        return Mono.empty();
    }

    /** Gets the source ready for writes (called by recovery before the master accepts writes). */
    default Mono<Void> prepare() {
        return Mono.empty();
    }

    /** {@code local} or {@code sync}, for {@code /health}. */
    String source();

    /** Ids this source can hand out without asking anyone (reserved or prefetched), for {@code /health}. */
    long remaining();
}
