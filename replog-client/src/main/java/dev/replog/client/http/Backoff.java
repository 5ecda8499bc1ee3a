package dev.replog.client.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The pause before a retry: doubling from a floor to a ceiling, jittered. */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The pause before retry number {@code step} (from 0): {@code min * 2^step}, at most {@code max},
     * drawn from its upper half, so that clients retrying after one event do not come back in
     * lockstep.
     */
    public static Duration jittered(int step, Duration min, Duration max) {
        long ceiling = Math.min(max.toMillis(), min.toMillis() << Math.min(Math.max(step, 0), 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
