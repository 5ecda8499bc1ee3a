package dev.replog.master.ids;

import dev.replog.master.sync.SyncClient;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Permanent ids from ranges of the sync-service sequence {@code master-ids}, double-buffered
 * (Meituan Leaf "segment"): the writer hands out ids from the current range while the next range is
 * already fetched or on its way — the prefetch starts as soon as half of the current range is used —
 * so writes never wait on the sync cluster while it is healthy, and keep flowing on the prefetched
 * range while it is not.
 *
 * <p>Ranges of one sequence never overlap and strictly increase, across restarts of any node, so
 * every id is unique and above every id any earlier master handed out; the unused rest of the
 * ranges a master held when it stopped becomes a gap. Every id handed out is also checked to be
 * above the previous one and above the floor set by {@link #advancePast(long)}.
 *
 * <p>The range size adapts to the load (Leaf's dynamic step): {@code range-size} is the smallest;
 * a range used up faster than {@code rangeLife} makes the next request twice as large (at most
 * {@link #MAX_GROWTH} times {@code range-size}), one that lasts ten times longer halves it again. A
 * fixed size would starve fast writers: at 50,000 messages/s a range of 1000 lasts 20 ms, less than
 * a sync round under that load.
 *
 * <p>Threads: {@link #next()} and {@link #advancePast(long)} run on the log writer only and never
 * block or wait; fetched ranges arrive on HTTP client threads through a lock-free queue. A failed
 * prefetch is retried with exponential backoff until the cluster answers again.
 */
final class SyncIdSource implements IdSource, AutoCloseable {

    static final String SEQUENCE = "master-ids";
    static final String UNREACHABLE =
            "no permanent ids: the sync cluster is unreachable and the prefetched ranges are spent";
    static final String TOO_SLOW = "no permanent ids: they are used faster than the sync cluster hands out ranges";
    private static final long MAX_RANGE = 1_000_000;
    /** The largest range, as a multiple of the configured size. */
    static final int MAX_GROWTH = 1024;
    private static final Logger log = LoggerFactory.getLogger(SyncIdSource.class);

    private final SyncClient client;
    private final int rangeSize;
    private final long rangeLifeNanos;
    private final Duration waitTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    // The current range: ids nextId..currentTo are left in it. Written by the writer (and by prepare()
    // before any write), read by /health: volatile.
    private volatile long currentFrom = 1;
    private volatile long currentTo = 0;
    private volatile long nextId = 1;
    private final LongSupplier nanoTime;
    /** When the current range came into use; written and read by the writer only. */
    private long currentSinceNanos;
    /** The range whose use last sized the next request, by its first id; the writer's only. */
    private long sizedAfter = -1;
    /** The size the next fetch asks for; written by the writer, read by fetches. */
    private volatile long step;
    /** Ids at or below it are never handed out (found in a recovered log). */
    private volatile long floor = 0;

    /** Fetched ranges not yet in use, oldest first: at most one while running (the prefetched range). */
    private final ConcurrentLinkedQueue<SyncClient.Range> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final Sinks.Many<Boolean> arrivals = Sinks.many().multicast().directBestEffort();
    private volatile Disposable inFlight;
    private volatile boolean unreachable;
    private volatile String lastFailure;
    private volatile boolean closed;

    /**
     * @param rangeSize the smallest range to ask for
     * @param rangeLife how long a range should last at least: one used up faster makes the next
     *                  request larger ({@link Duration#ZERO}: always {@code rangeSize})
     */
    SyncIdSource(SyncClient client, int rangeSize, Duration rangeLife, Duration waitTimeout, Duration initialBackoff,
            Duration maxBackoff) {
        this(client, rangeSize, rangeLife, waitTimeout, initialBackoff, maxBackoff, System::nanoTime);
    }

    /** As above, with the clock that times how long ranges last (tests). */
    SyncIdSource(SyncClient client, int rangeSize, Duration rangeLife, Duration waitTimeout, Duration initialBackoff,
            Duration maxBackoff, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.currentSinceNanos = nanoTime.getAsLong();
        this.client = client;
        this.rangeSize = rangeSize;
        this.rangeLifeNanos = rangeLife.toNanos();
        this.step = rangeSize;
        this.waitTimeout = waitTimeout;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public long next() {
        while (nextId > currentTo) {
            SyncClient.Range range = ready.poll();
            if (range == null) {
                prefetch();
                throw new IdsUnavailableException(detail(), true);
            }
            // Above the last id handed out and above the floor, whatever order ranges arrived in.
            long from = Math.max(range.from(), Math.max(nextId, floor + 1));
            if (from > range.to()) {
                log.info("Skipping range {}..{} of {}: not above id {}", range.from(), range.to(), SEQUENCE,
                        Math.max(nextId - 1, floor));
                continue;
            }
            currentFrom = from;
            currentTo = range.to();
            nextId = from;
            currentSinceNanos = nanoTime.getAsLong();
            log.debug("Using permanent ids {}..{}", from, range.to());
        }
        long id = nextId;
        nextId = id + 1;
        if (ready.isEmpty() && 2 * (id - currentFrom + 1) >= currentTo - currentFrom + 1) {
            if (sizedAfter != currentFrom) { // once per range: every id past its half passes here
                sizedAfter = currentFrom;
                adaptStep(nanoTime.getAsLong() - currentSinceNanos, currentTo - currentFrom + 1);
            }
            prefetch();
        }
        return id;
    }

    /** Half of a range of {@code size} was used in {@code halfLifeNanos}: sizes the next request. */
    private void adaptStep(long halfLifeNanos, long size) {
        long life = 2 * halfLifeNanos;
        long next = step;
        if (life < rangeLifeNanos && size >= step) {
            next = Math.min(Math.min(MAX_RANGE, (long) rangeSize * MAX_GROWTH), step * 2);
        } else if (life > 10 * rangeLifeNanos && step > rangeSize) {
            next = Math.max(rangeSize, step / 2);
        }
        if (next != step) {
            log.info("Permanent id ranges of {} now (were {}): a range of {} lasted about {} ms", next, step, size,
                    life / 1_000_000);
            step = next;
        }
    }

    @Override
    public void advancePast(long id) {
        if (id > floor) {
            floor = id;
        }
        if (nextId <= id) {
            log.info("Ids continue above {} found in the recovered log", id);
            nextId = id + 1;
        }
        ready.removeIf(range -> range.to() <= id);
    }

    @Override
    public Mono<Void> awaitAvailable() {
        return Mono.defer(() -> {
            if (available()) {
                return Mono.empty();
            }
            // Subscribe to arrivals first, then look again (and start a fetch): no arrival is missed.
            return Flux.merge(arrivals.asFlux(), Mono.fromSupplier(() -> {
                        prefetch();
                        return Boolean.TRUE;
                    }))
                    .filter(signal -> available())
                    .next()
                    .then()
                    .timeout(waitTimeout, Mono.error(() -> new IdsUnavailableException(detail(), false)));
        });
    }

    /** Fetches ranges until two are held (the current one and the next), before the first write. */
    @Override
    public Mono<Void> prepare() {
        return Mono.defer(() -> {
            int held = ready.size() + (nextId <= currentTo ? 1 : 0);
            if (held >= 2) {
                return Mono.empty();
            }
            return Flux.range(0, 2 - held)
                    .concatMap(i -> fetchAbove())
                    .doOnNext(range -> {
                        ready.add(range);
                        log.info("Fetched permanent ids {}..{} from the sync cluster ({})", range.from(), range.to(),
                                SEQUENCE);
                    })
                    .then()
                    .doOnSuccess(done -> reachable())
                    .doOnError(error -> {
                        lastFailure = error.getMessage();
                        if (!unreachable) {
                            unreachable = true;
                            log.warn("Cannot fetch permanent ids from the sync cluster {}: {}", client.urls(),
                                    error.getMessage());
                        }
                    });
        });
    }

    @Override
    public String source() {
        return "sync";
    }

    @Override
    public long remaining() {
        long left = Math.max(0, currentTo - nextId + 1);
        for (SyncClient.Range range : ready) {
            left += range.size();
        }
        return left;
    }

    @Override
    public void close() {
        closed = true;
        Disposable current = inFlight;
        if (current != null) {
            current.dispose();
        }
    }

    private boolean available() {
        return nextId <= currentTo || !ready.isEmpty();
    }

    /** Starts fetching the next range unless a fetch is already under way. */
    private void prefetch() {
        if (closed || !fetching.compareAndSet(false, true)) {
            return;
        }
        inFlight = fetchAbove()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, initialBackoff).maxBackoff(maxBackoff)
                        .doBeforeRetry(signal -> failed(signal.failure(), signal.totalRetries())))
                .subscribe(range -> {
                    ready.add(range);
                    log.info("Prefetched permanent ids {}..{} from the sync cluster ({} ids left in hand)",
                            range.from(), range.to(), remaining());
                    reachable();
                    fetching.set(false);
                    arrivals.tryEmitNext(Boolean.TRUE);
                    if (ready.isEmpty()) {
                        prefetch();
                    }
                }, error -> {
                    fetching.set(false);
                    if (!closed) {
                        log.error("Prefetching permanent ids failed for good: {}", error.toString());
                    }
                });
    }

    /** The next range of the sequence; ranges wholly at or below the floor are jumped over. */
    private Mono<SyncClient.Range> fetchAbove() {
        return client.range(SEQUENCE, step).flatMap(range -> {
            long floorNow = floor;
            if (range.to() > floorNow) {
                return Mono.just(range);
            }
            long jump = Math.min(MAX_RANGE, floorNow - range.to());
            log.info("Range {}..{} of {} is not above id {} of the recovered log; jumping {} ids", range.from(),
                    range.to(), SEQUENCE, floorNow, jump);
            Mono<SyncClient.Range> jumped = jump > 0 ? client.range(SEQUENCE, jump) : Mono.empty();
            return jumped.then(Mono.defer(this::fetchAbove));
        });
    }

    private void failed(Throwable error, long retries) {
        lastFailure = error.getMessage();
        if (!unreachable) {
            unreachable = true;
            log.warn("Sync cluster {} unreachable ({}); writes continue on the {} ids in hand; retrying with backoff",
                    client.urls(), error.getMessage(), remaining());
        } else {
            log.debug("Sync cluster still unreachable after {} retries: {}", retries + 1, error.getMessage());
        }
    }

    private void reachable() {
        if (unreachable) {
            unreachable = false;
            log.info("Sync cluster {} reachable again", client.urls());
        }
    }

    private String detail() {
        String failure = lastFailure;
        if (!unreachable) {
            return TOO_SLOW + " (ranges of " + step + " now, growing with the load)";
        }
        return UNREACHABLE + (failure == null ? "" : " (last error: " + failure + ")");
    }
}
