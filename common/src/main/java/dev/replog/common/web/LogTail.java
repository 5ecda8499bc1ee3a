package dev.replog.common.web;

import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Follows a log: history first, then live, without a gap or a duplicate at the switch, for
 * {@code GET /messages/stream} on every node.
 *
 * <p>Each follower reads pages from the store at its own pace (pull: a page is read only when the
 * previous one was consumed), so a slow consumer holds back nothing but itself: writers never wait
 * for it and nothing is buffered for it. When a follower has read everything visible it waits for
 * {@link #advanced} to announce a higher seq, then reads on from where it stopped.
 *
 * <p>The events open with a {@code :keep-alive} comment and carry another every keep-alive
 * interval, so that a follower of a quiet log gets its response headers at once and proxies and
 * clients do not take a silent connection for a dead one. {@code EventSource} ignores comments.
 */
public final class LogTail {

    private static final int PAGE = 256;
    private static final ServerSentEvent<Entry> KEEP_ALIVE = ServerSentEvent.<Entry>builder().comment("keep-alive").build();

    private final LogStore store;
    private final LongSupplier visibleSeq;
    private final Duration keepAlive;
    private final Sinks.Many<Long> advances = Sinks.many().replay().latest();

    /**
     * @param visibleSeq the last seq this node shows (its contiguous prefix)
     * @param keepAlive  the time between two keep-alive comments of {@link #events} (positive,
     *                   {@link StreamSettings})
     */
    public LogTail(LogStore store, LongSupplier visibleSeq, Duration keepAlive) {
        this.store = store;
        this.visibleSeq = visibleSeq;
        this.keepAlive = keepAlive;
    }

    /** The node shows entries up to {@code seq} now; wakes followers waiting past their position. */
    public void advanced(long seq) {
        advances.emitNext(seq, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
    }

    /** Every entry from {@code fromSeq} on, then each new one as the node shows it. Never completes. */
    public Flux<Entry> follow(long fromSeq) {
        AtomicLong next = new AtomicLong(Math.max(1, fromSeq));
        return Flux.defer(() -> nextPageOrWait(next.get()))
                .repeat()
                .doOnNext(entry -> next.set(entry.seq() + 1));
    }

    /**
     * The Server-Sent Events of {@code GET /messages/stream}: one event per entry, {@code id: <seq>},
     * from the entry after {@code Last-Event-ID} (a reconnecting browser sends it), else from
     * {@code ?from=} (default 1); first a {@code :keep-alive} comment, and another one every
     * keep-alive interval.
     *
     * @throws BadRequestException when either is not a non-negative integer
     */
    public Flux<ServerSentEvent<Entry>> events(String lastEventId, String from) {
        long start = lastEventId != null ? parse("Last-Event-ID", lastEventId) + 1
                : from != null ? parse("from", from) : 1;
        // a comment that nobody took in time is dropped: it says nothing a later one does not
        Flux<ServerSentEvent<Entry>> keepAlives = Flux.interval(keepAlive).map(tick -> KEEP_ALIVE).onBackpressureDrop();
        return follow(start).map(LogTail::event)
                .mergeWith(keepAlives)
                // the first element sends the headers: a stream with no entry yet must still answer
                .startWith(KEEP_ALIVE);
    }

    private static ServerSentEvent<Entry> event(Entry entry) {
        return ServerSentEvent.builder(entry)
                .id(Long.toString(entry.seq()))
                .event("entry")
                .build();
    }

    private static long parse(String name, String text) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException(name + " must be a non-negative integer, was \"" + text + "\"");
    }

    private Flux<Entry> nextPageOrWait(long next) {
        return Mono.fromCallable(() -> readVisible(next))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(page -> page.isEmpty()
                        ? advances.asFlux().filter(seq -> seq >= next).next().then(Mono.<Entry>empty()).flux()
                        : Flux.fromIterable(page));
    }

    private List<Entry> readVisible(long next) {
        long visible = visibleSeq.getAsLong();
        if (next > visible) {
            return List.of();
        }
        return store.read(next, (int) Math.min(PAGE, visible - next + 1), LogQuery.PAGE_BYTES);
    }
}
