package dev.replog.client.ids;

import dev.replog.client.http.Answer;
import dev.replog.client.http.Json;
import dev.replog.client.sync.SyncCaller;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Permanent ids from a sequence of the sync cluster ({@code POST /sequences/{name}/ranges}), handed
 * out one by one from ranges of a chosen size, the next range fetched before the current one runs
 * out (see {@link IdBuffer}).
 */
public final class IdStream {

    /** A sequence name as the sync cluster takes it. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");
    /** The largest range the sync cluster hands out. */
    public static final int MAX_RANGE = 1_000_000;

    private final SyncCaller sync;

    public IdStream(SyncCaller sync) {
        this.sync = sync;
    }

    /**
     * The ids of {@code sequence}, fetched in ranges of {@code bufferSize}, as they are requested.
     * Never completes; fails when no sync node answers within the client's sync timeout. Ids never
     * repeat, across subscriptions and clients; ids fetched and not requested before cancelling are
     * a gap.
     */
    public Flux<Long> ids(String sequence, int bufferSize) {
        if (sequence == null || !NAME.matcher(sequence).matches()) {
            throw new IllegalArgumentException("sequence name must match " + NAME.pattern() + ", was \"" + sequence + "\"");
        }
        if (bufferSize < 1 || bufferSize > MAX_RANGE) {
            throw new IllegalArgumentException("bufferSize must be 1.." + MAX_RANGE + ", was " + bufferSize);
        }
        return Flux.create(sink -> new Feeder(sequence, new IdBuffer(bufferSize), bufferSize, sink).start());
    }

    private Mono<IdRange> fetch(String sequence, int size) {
        return sync.post("/sequences/" + sequence + "/ranges", Json.write(Map.of("size", size)), Map.of(), Duration.ZERO)
                .flatMap(answer -> answer.ok() ? Mono.just(range(answer)) : Mono.error(SyncCaller.refused(answer)));
    }

    private static IdRange range(Answer answer) {
        return Json.read(answer.body(), IdRange.class);
    }

    /** Moves ids from the buffer to the subscriber as it asks, and fetches ranges as the buffer needs. */
    private final class Feeder {
        private final String sequence;
        private final IdBuffer buffer;
        private final int size;
        private final FluxSink<Long> sink;
        private final AtomicInteger work = new AtomicInteger();
        private final AtomicBoolean done = new AtomicBoolean();

        Feeder(String sequence, IdBuffer buffer, int size, FluxSink<Long> sink) {
            this.sequence = sequence;
            this.buffer = buffer;
            this.size = size;
            this.sink = sink;
        }

        void start() {
            sink.onRequest(n -> drain());
            sink.onDispose(() -> done.set(true));
        }

        /** One thread at a time hands out ids; a call meanwhile makes it loop once more. */
        private void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!done.get() && sink.requestedFromDownstream() > 0) {
                    OptionalLong id = buffer.take();
                    if (id.isEmpty()) {
                        break;
                    }
                    sink.next(id.getAsLong());
                }
                if (!done.get() && buffer.startFetch()) {
                    fetch(sequence, size).subscribe(this::arrived, this::failed);
                }
            } while (work.decrementAndGet() != 0);
        }

        private void arrived(IdRange range) {
            try {
                buffer.add(range);
            } catch (IllegalStateException e) {
                failed(e);
                return;
            }
            drain();
        }

        private void failed(Throwable error) {
            buffer.fetchFailed();
            if (done.compareAndSet(false, true)) {
                sink.error(error);
            }
        }
    }
}
