package dev.replog.client.tail;

import dev.replog.client.http.Json;
import dev.replog.client.http.NodeHealth;
import dev.replog.client.http.Transport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.util.retry.Retry;

/**
 * Follows the log over {@code GET /messages/stream} from any node, and moves to the next node when
 * the one it reads from dies, ends the stream, or stays silent longer than the idle timeout: it
 * asks the next node for the entries after the last one delivered, and drops any it sees again, so
 * every entry is delivered once, in order. A standby or deposed master is passed over: the log it
 * holds is its own, not the cluster's.
 */
public final class LogTailer {

    private static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private final Transport transport;
    private final List<URI> nodes;
    private final Duration idleTimeout;

    /**
     * @param nodes       the nodes to read from, in order of preference (the first is read first)
     * @param idleTimeout how long a stream may send nothing, not even a keep-alive comment, before
     *                    the tail reads from the next node (a paused node keeps its connections open)
     */
    public LogTailer(Transport transport, List<URI> nodes, Duration idleTimeout) {
        this.transport = transport;
        this.nodes = List.copyOf(nodes);
        this.idleTimeout = idleTimeout;
    }

    /**
     * Every entry from {@code fromSeq} on, then each new one, without gap or repeat, across node
     * deaths. Never completes; errors only on a malformed event. Each subscription is its own tail.
     */
    public Flux<Entry> tail(long fromSeq) {
        if (fromSeq < 1) {
            throw new IllegalArgumentException("fromSeq must be >= 1, was " + fromSeq);
        }
        return Flux.defer(() -> {
            TailCursor cursor = new TailCursor(fromSeq - 1);
            AtomicInteger node = new AtomicInteger();
            return Flux.defer(() -> connection(nodes.get(Math.floorMod(node.get(), nodes.size())), cursor))
                    // a stream that ends is a node that went away: read on elsewhere
                    .concatWith(Flux.error(() -> new StreamEnded()))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF).maxBackoff(MAX_BACKOFF)
                            .transientErrors(true)
                            .filter(error -> !(error instanceof MalformedEventException))
                            .doBeforeRetry(signal -> node.incrementAndGet()));
        });
    }

    /** The entries one connection delivers: repeats dropped, a gap ends it. */
    private Flux<Entry> connection(URI node, TailCursor cursor) {
        return followable(node).flatMapMany(yes -> yes ? stream(node, cursor)
                : Flux.error(new IllegalStateException(node + " is a standby or deposed master: reading elsewhere")));
    }

    /**
     * False for a master instance that is not the active one (its {@code /health} shows mode STANDBY
     * or its role STANDBY or DEPOSED): its own log is not the cluster's. Any other answer, or none,
     * lets the stream decide.
     */
    private Mono<Boolean> followable(URI node) {
        return transport.get(node, "/health", HEALTH_TIMEOUT)
                .map(answer -> answer.status() != 200 || !NodeHealth.inactiveMaster(Json.tree(answer.body())))
                .onErrorReturn(true);
    }

    private Flux<Entry> stream(URI node, TailCursor cursor) {
        SseDecoder decoder = new SseDecoder();
        return transport.stream(node, "/messages/stream?from=" + (cursor.last() + 1),
                        Map.of("Accept", "text/event-stream"))
                .timeout(idleTimeout)
                .concatMapIterable(decoder::feed)
                .<Entry>handle((event, sink) -> deliver(node, event, cursor, sink));
    }

    private static void deliver(URI node, SseEvent event, TailCursor cursor, SynchronousSink<Entry> sink) {
        if (event.event() != null && !"entry".equals(event.event())) {
            return;
        }
        Entry entry;
        try {
            entry = Json.read(event.data().getBytes(StandardCharsets.UTF_8), Entry.class);
        } catch (RuntimeException e) {
            sink.error(new MalformedEventException(node + " sent an event that is not an entry: " + event, e));
            return;
        }
        switch (cursor.offer(entry.seq())) {
            case DELIVER -> sink.next(entry);
            case REPEAT -> {
                // delivered before, from this node or another
            }
            case GAP -> sink.error(new IllegalStateException(node + " sent seq " + entry.seq() + " after "
                    + cursor.last() + ": reading from another node"));
        }
    }

    /** The node ended the stream. */
    private static final class StreamEnded extends RuntimeException {
        StreamEnded() {
            super("the stream ended", null, false, false);
        }
    }

    /** An event whose data is not an entry: a protocol error that reading elsewhere does not cure. */
    public static final class MalformedEventException extends RuntimeException {
        MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
