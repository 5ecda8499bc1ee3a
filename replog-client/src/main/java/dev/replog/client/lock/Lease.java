package dev.replog.client.lock;

import dev.replog.client.error.LockHeldException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A held lock: its fencing token, renewed every third of its ttl while held. A lease is lost when
 * no renewal succeeds before it expires, when a renewal is refused, or when it comes back under
 * another token (the lease had lapsed in between); from then on {@link #isHeld()} is false and
 * nothing renews it. The expiry is judged by this client's clock from the moment each successful
 * acquire or renewal was <em>sent</em>, so the client gives a lease up no later than the sync
 * cluster does (both clocks running at the same rate).
 *
 * <p>Pass {@link #token()} to every resource the lock guards: a resource that has seen a higher
 * token refuses this holder, which is what makes a lock safe when a lease passes while its holder
 * is paused.
 */
public final class Lease implements AutoCloseable {

    private final LockClient locks;
    private final String name;
    private final String owner;
    private final long token;
    private final Duration ttl;
    private final Scheduler scheduler;
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private volatile long expiresAtNanos;
    private volatile boolean released;
    private volatile Disposable renewal;

    Lease(LockClient locks, String name, String owner, long token, Duration ttl, long sentAtNanos,
            Scheduler scheduler) {
        this.locks = locks;
        this.name = name;
        this.owner = owner;
        this.token = token;
        this.ttl = ttl;
        this.scheduler = scheduler;
        this.expiresAtNanos = sentAtNanos + ttl.toNanos();
    }

    Lease start() {
        scheduleRenewal(renewalDelay(expiresAtNanos - ttl.toNanos()));
        return this;
    }

    /**
     * The pause until a third of the ttl after {@code sentAtNanos}: renewals are timed from when the
     * last successful request was sent, as the lease is, so a slow answer does not push the next
     * renewal past the lease's end.
     */
    private Duration renewalDelay(long sentAtNanos) {
        return Duration.ofNanos(Math.max(0, sentAtNanos + ttl.dividedBy(3).toNanos() - System.nanoTime()));
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /** The owner this lease was granted to (unique per acquire). */
    public String owner() {
        return owner;
    }

    /** The fencing token: strictly increasing per lock across every grant. */
    public long token() {
        return token;
    }

    /** True while the lease is held: not released, not lost, and not past its expiry. */
    public boolean isHeld() {
        return !released && !lost.isDone() && System.nanoTime() < expiresAtNanos;
    }

    /** Completes when the lease is lost (not when it is released). */
    public CompletableFuture<Void> lost() {
        return lost.copy();
    }

    /**
     * Stops renewing and releases the lock: true when released, false when the lease had already
     * passed (expired, or taken by another owner).
     */
    public CompletableFuture<Boolean> release() {
        released = true;
        Disposable task = renewal;
        if (task != null) {
            task.dispose();
        }
        return locks.release(name, owner, token).toFuture();
    }

    /** Releases the lock, waiting for the answer (at most the ttl). */
    @Override
    public void close() {
        try {
            release().get(Math.max(ttl.toMillis(), 5000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the lease ends by itself at its expiry
        }
    }

    private void scheduleRenewal(Duration delay) {
        if (!released && !lost.isDone()) {
            renewal = scheduler.schedule(this::renew, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private void renew() {
        if (released || lost.isDone()) {
            return;
        }
        long left = expiresAtNanos - System.nanoTime();
        if (left <= 0) {
            lose();
            return;
        }
        long sentAt = System.nanoTime();
        // a renewal is retried on other nodes only while the lease lasts
        locks.request(name, owner, ttl, Duration.ZERO, Duration.ofNanos(left)).subscribe(grant -> {
            if (released) {
                // a renewal that reached the node after the release may have granted the lock anew
                locks.release(name, owner, grant.token()).subscribe(ok -> { }, error -> { });
                return;
            }
            if (grant.token() != token) {
                // the lease lapsed and this owner got the lock anew: whatever it guarded may have changed hands
                lose();
                locks.release(name, owner, grant.token()).subscribe(ok -> { }, error -> { });
                return;
            }
            expiresAtNanos = sentAt + ttl.toNanos();
            scheduleRenewal(renewalDelay(sentAt));
        }, error -> {
            if (error instanceof LockHeldException || System.nanoTime() >= expiresAtNanos) {
                lose();
            } else {
                scheduleRenewal(ttl.dividedBy(10));
            }
        });
    }

    private void lose() {
        lost.complete(null);
    }

    @Override
    public String toString() {
        return "Lease[" + name + ", owner " + owner + ", token " + token + (isHeld() ? ", held]" : ", not held]");
    }
}
