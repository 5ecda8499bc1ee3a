package dev.replog.common.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The group commit of a {@link FileLogStore} in {@link FsyncMode#GROUP}, led by the appending
 * threads (see docs/decisions/0003-writer-led-group-fsync.md).
 *
 * <p>An append made while no fsync runs leads one itself: it takes the last written seq, fsyncs
 * once and completes the futures of every append up to that seq, and goes on while appends made
 * meanwhile wait; an append made while another thread's fsync runs only queues, and that thread's
 * next fsync covers it. One fsync so covers everything appended while the previous one ran, with
 * no hand-off to another thread. The futures complete <em>on the leading thread</em> (so do their
 * dependants, e.g. a {@code Mono.fromFuture} pipeline), with no lock held: their callbacks may call
 * the store. A failed fsync fails the store and every queued append with it.
 *
 * <p>The lock is held for one fsync cycle by the thread leading it, and by the store's operations
 * that must not overlap one (a segment roll, a truncation); it must be fair, so that a waiting
 * truncation goes before the next cycle.
 */
final class GroupCommit {

    private record Pending(long seq, CompletableFuture<Long> future) {
    }

    private final ReentrantLock lock;
    private final StoreFailure failure;
    private final BooleanSupplier awaitsFsync;
    private final LongSupplier fsyncWritten;
    /** Appends waiting for an fsync, in seq order. */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    /**
     * @param lock         held for each fsync cycle (fair)
     * @param failure      the store's failure: stops the cycles, and fails what is queued
     * @param awaitsFsync  whether the store, not closed, holds written records that are not durable
     * @param fsyncWritten fsyncs every record written so far (called holding {@code lock}) and
     *                     returns the durable seq; throws the store's failure when the fsync failed
     */
    GroupCommit(ReentrantLock lock, StoreFailure failure, BooleanSupplier awaitsFsync, LongSupplier fsyncWritten) {
        this.lock = lock;
        this.failure = failure;
        this.awaitsFsync = awaitsFsync;
        this.fsyncWritten = fsyncWritten;
    }

    /**
     * Queues the append that wrote up to {@code seq}; its future completes once a group fsync
     * covers it. Queued before the store publishes {@code seq}: the fsync that covers it must find it.
     */
    CompletableFuture<Long> queue(long seq) {
        Pending queued = new Pending(seq, new CompletableFuture<>());
        pending.add(queued);
        return queued.future();
    }

    /**
     * Leads group fsyncs while appended records are not yet durable, unless another thread leads
     * one now: that thread checks again once its fsync is done, so an append queued behind it is
     * covered either by it or by the thread that queued it (the usual work-in-progress hand-over:
     * a leader reads the last seq after releasing the lock, a follower publishes it before trying
     * the lock). Never throws: a failed fsync fails the store and its queued appends.
     */
    void lead() {
        while (failure.get() == null && awaitsFsync.getAsBoolean() && tryLeading()) {
            if (!commitAndUnlock()) {
                break;
            }
        }
        failQueuedIfFailed();
    }

    /**
     * The last group fsync, at close: waits for a leading thread's fsync, then covers what is left
     * (also when called from a completion callback on the leading thread, which holds no lock then).
     */
    void commitLast() {
        lock.lock();
        commitAndUnlock();
    }

    /**
     * Takes {@link #lock} if it is free and nobody waits for it: a waiting truncation settles
     * every queued append itself, a waiting roll's appender leads once it has written, and a
     * waiting close fsyncs what is left.
     */
    private boolean tryLeading() {
        try {
            return lock.tryLock(0, TimeUnit.SECONDS); // unlike tryLock(), keeps the lock's fairness
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lock.tryLock();
        }
    }

    /**
     * One group commit, called with {@link #lock} just taken: fsyncs what is written, releases
     * the lock and then completes every append the fsync covered (their callbacks run on this
     * thread and may call the store). False when the fsync failed, which fails the store.
     */
    private boolean commitAndUnlock() {
        long synced;
        List<Pending> done = new ArrayList<>();
        try {
            synced = fsyncWritten.getAsLong();
            for (Pending p = pending.peek(); p != null && p.seq() <= synced; p = pending.peek()) {
                done.add(pending.poll());
            }
        } catch (RuntimeException | Error e) {
            // a failed fsync failed the store already, and the first cause stays
            failure.fail("unexpected error in a group fsync", new IOException(e));
            return false;
        } finally {
            lock.unlock();
        }
        for (Pending p : done) {
            p.future().complete(synced);
        }
        return true;
    }

    /**
     * Takes every queued append out for a truncation to {@code keepLast} (called holding the lock);
     * the returned action settles them and must run with no lock held, as their callbacks may read
     * the store: those within {@code keepLast} complete, the others fail.
     */
    Runnable takeQueuedForTruncation(long keepLast) {
        List<Pending> settled = new ArrayList<>();
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            settled.add(p);
        }
        return () -> {
            for (Pending p : settled) {
                if (p.seq() <= keepLast) {
                    p.future().complete(keepLast);
                } else {
                    p.future().completeExceptionally(new IllegalStateException(
                            "entries up to seq " + p.seq() + " were truncated before they were durable"));
                }
            }
        };
    }

    /**
     * Fails every queued append once the store failed. Called with no lock held: the futures'
     * callbacks run on this thread and may call the store.
     */
    void failQueuedIfFailed() {
        RuntimeException cause = failure.get();
        if (cause != null) {
            failQueued(cause);
        }
    }

    /** Fails every queued append with {@code cause}. Called with no lock held. */
    void failQueued(RuntimeException cause) {
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            p.future().completeExceptionally(cause);
        }
    }
}
