package dev.replog.master.writeconcern;

import dev.replog.master.log.DurabilityListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Completes write-concern waits from watermarks, the one mechanism behind {@code w}.
 *
 * <p>Each node has one watermark: the master's durable seq (slot 0) and each secondary's
 * {@code ackedSeq} as the secondary itself last reported it (slots 1..n-1). For a level {@code w}
 * the committed seq {@code c(w)} is the w-th largest watermark; a wait for {@code (seq, w)} is
 * done once {@code c(w) >= seq}. Waiters sit in one ordered map per level, so a watermark move
 * completes exactly the waiters at or below the new {@code c(w)}: no polling, no timers.
 *
 * <p>Once {@link #supersede superseded} (a newer master exists), every wait ends with
 * {@link SupersededException} and no later watermark completes one: an answer that comes after a
 * secondary took the newer epoch may come from a node that the newer master's recovery never saw
 * (see docs/decisions/0010-epoch-floor.md).
 */
public final class AckTracker implements DurabilityListener {

    private final long[] watermarks;
    private final List<TreeMap<Long, List<Waiter>>> waitersByLevel;
    /** Set once, under the lock: who superseded this master (null while it leads). */
    private SupersededException.Supersession superseded;

    /** @param clusterSize n, the master counted */
    public AckTracker(int clusterSize) {
        if (clusterSize < 1) {
            throw new IllegalArgumentException("cluster size must be >= 1");
        }
        this.watermarks = new long[clusterSize];
        this.waitersByLevel = new ArrayList<>(clusterSize + 1);
        for (int level = 0; level <= clusterSize; level++) {
            waitersByLevel.add(new TreeMap<>());
        }
    }

    public int clusterSize() {
        return watermarks.length;
    }

    @Override
    public void durableUpTo(long seq) {
        masterDurable(seq);
    }

    @Override
    public void truncatedAfter(long seq) {
        masterTruncated(seq);
    }

    /** The master's own entries are durable up to {@code seq}. Never moves backwards but by {@link #masterTruncated}. */
    public void masterDurable(long seq) {
        List<Waiter> ready;
        synchronized (this) {
            if (seq <= watermarks[0] || superseded != null) {
                return;
            }
            watermarks[0] = seq;
            ready = collectReady();
        }
        complete(ready);
    }

    /**
     * The master's log was cut after {@code seq} (recovery adopted a newer master's log): its
     * watermark follows it down, so an entry appended again at a seq it held before counts only once
     * it is durable again. Waits already completed stay completed.
     */
    public synchronized void masterTruncated(long seq) {
        watermarks[0] = Math.min(watermarks[0], seq);
    }

    /**
     * A newer master has taken over: every pending wait ends with {@link SupersededException}, and
     * so does every later one; no watermark completes a wait any more. The first call wins.
     */
    public void supersede(SupersededException.Supersession by) {
        List<Waiter> ended = new ArrayList<>();
        synchronized (this) {
            if (superseded != null) {
                return;
            }
            superseded = by;
            for (TreeMap<Long, List<Waiter>> waiters : waitersByLevel) {
                waiters.values().forEach(ended::addAll);
                waiters.clear();
            }
            ended.forEach(waiter -> waiter.acks = countAcks(waiter.seq));
        }
        ended.forEach(waiter -> waiter.sink.error(new SupersededException(by, waiter.seq, waiter.acks, waiter.level)));
    }

    /**
     * Secondary {@code slot} (1..n-1) reports {@code ackedSeq}. It may move backwards (the node
     * lost entries); waits already completed stay completed.
     */
    public void secondaryAcked(int slot, long ackedSeq) {
        if (slot < 1 || slot >= watermarks.length) {
            throw new IllegalArgumentException("no secondary slot " + slot);
        }
        List<Waiter> ready;
        synchronized (this) {
            if (ackedSeq == watermarks[slot] || superseded != null) {
                return;
            }
            watermarks[slot] = ackedSeq;
            ready = collectReady();
        }
        complete(ready);
    }

    /**
     * Secondary {@code slot} is vouched for only up to {@code seq} (a refusal, an unverified status,
     * a divergent log): lowers its watermark to at most {@code seq}, never raises it, in one step
     * under the lock, so a raise reported meanwhile is not undone by a stale read.
     */
    public void secondaryLowered(int slot, long seq) {
        if (slot < 1 || slot >= watermarks.length) {
            throw new IllegalArgumentException("no secondary slot " + slot);
        }
        synchronized (this) {
            if (seq < watermarks[slot]) {
                watermarks[slot] = seq; // lowering completes no wait
            }
        }
    }

    /**
     * Secondary {@code slot} holds the master's log at least up to {@code ackedSeq}: raises its
     * watermark, never lowers it. Answers to pipelined batches are reported in any order; a late
     * report of a lower seq must not undo a higher one.
     */
    public void secondaryAdvanced(int slot, long ackedSeq) {
        if (slot < 1 || slot >= watermarks.length) {
            throw new IllegalArgumentException("no secondary slot " + slot);
        }
        List<Waiter> ready;
        synchronized (this) {
            if (ackedSeq <= watermarks[slot] || superseded != null) {
                return;
            }
            watermarks[slot] = ackedSeq;
            ready = collectReady();
        }
        complete(ready);
    }

    /** The watermark of node {@code slot} (0 is the master). */
    public synchronized long watermark(int slot) {
        return watermarks[slot];
    }

    /** How many nodes hold {@code seq} now. */
    public synchronized int acks(long seq) {
        return countAcks(seq);
    }

    /** The highest seq that at least {@code level} nodes hold. */
    public synchronized long committed(int level) {
        long[] sorted = watermarks.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - level];
    }

    /**
     * Completes with the number of nodes holding {@code seq} once at least {@code level} do.
     * Cancelling the returned Mono (a timeout, a client gone) drops the waiter.
     */
    public Mono<Integer> awaitAcks(long seq, int level) {
        if (level < 1 || level > watermarks.length) {
            return Mono.error(new IllegalArgumentException("level must be 1.." + watermarks.length));
        }
        return Mono.create(sink -> register(new Waiter(seq, level, sink)));
    }

    /** Waiters not yet completed, for metrics and tests. */
    public synchronized int pendingWaiters() {
        return waitersByLevel.stream().mapToInt(map -> map.values().stream().mapToInt(List::size).sum()).sum();
    }

    private void register(Waiter waiter) {
        int acksNow;
        SupersededException.Supersession by;
        synchronized (this) {
            acksNow = countAcks(waiter.seq);
            by = superseded;
            if (by == null && acksNow < waiter.level) {
                waitersByLevel.get(waiter.level).computeIfAbsent(waiter.seq, s -> new ArrayList<>(1)).add(waiter);
                waiter.sink.onCancel(() -> remove(waiter));
                return;
            }
        }
        if (by != null) {
            waiter.sink.error(new SupersededException(by, waiter.seq, acksNow, waiter.level));
        } else {
            waiter.sink.success(acksNow);
        }
    }

    private synchronized void remove(Waiter waiter) {
        TreeMap<Long, List<Waiter>> waiters = waitersByLevel.get(waiter.level);
        List<Waiter> atSeq = waiters.get(waiter.seq);
        if (atSeq != null && atSeq.remove(waiter) && atSeq.isEmpty()) {
            waiters.remove(waiter.seq);
        }
    }

    /** Called with the lock held: takes every waiter whose level is now satisfied. */
    private List<Waiter> collectReady() {
        long[] sorted = watermarks.clone();
        Arrays.sort(sorted);
        List<Waiter> ready = new ArrayList<>();
        for (int level = 1; level < waitersByLevel.size(); level++) {
            TreeMap<Long, List<Waiter>> waiters = waitersByLevel.get(level);
            if (waiters.isEmpty()) {
                continue;
            }
            long committed = sorted[sorted.length - level];
            Iterator<Map.Entry<Long, List<Waiter>>> it = waiters.headMap(committed, true).entrySet().iterator();
            while (it.hasNext()) {
                for (Waiter waiter : it.next().getValue()) {
                    waiter.acks = countAcks(waiter.seq);
                    ready.add(waiter);
                }
                it.remove();
            }
        }
        return ready;
    }

    private int countAcks(long seq) {
        int acks = 0;
        for (long watermark : watermarks) {
            if (watermark >= seq) {
                acks++;
            }
        }
        return acks;
    }

    /** Completes outside the lock: a completion may run the rest of a request inline. */
    private static void complete(List<Waiter> ready) {
        for (Waiter waiter : ready) {
            waiter.sink.success(waiter.acks);
        }
    }

    private static final class Waiter {
        final long seq;
        final int level;
        final MonoSink<Integer> sink;
        int acks;

        Waiter(long seq, int level, MonoSink<Integer> sink) {
            this.seq = seq;
            this.level = level;
            this.sink = sink;
        }
    }
}
