package dev.replog.client.error;

import java.time.Instant;

/**
 * {@code 409} "Lock held": the lock was not granted within the wait. Definite: nothing was granted.
 */
public class LockHeldException extends ReplogException {

    private final String holder;
    private final Instant expiresAt;

    /**
     * @param holder    the owner holding the lock, null when the answer did not say (free but promised to an
     *                  earlier waiter)
     * @param expiresAt when the holder's lease ends by the sync node's clock, null when not said
     */
    public LockHeldException(String detail, String holder, Instant expiresAt) {
        super(409, "Lock held", detail, false);
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    /** Who holds the lock; null when the answer did not say. */
    public String holder() {
        return holder;
    }

    /** When the holder's lease ends by the sync node's clock; null when not said. */
    public Instant expiresAt() {
        return expiresAt;
    }
}
