package dev.replog.sync.sequence;

import dev.replog.sync.paxos.Keys;
import dev.replog.sync.paxos.Proposer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Named sequences, each one CASPaxos register holding {@code {"next": N}} (absent: 1). Taking a
 * range of {@code size} commits {@code next -> next + size} and hands out {@code [next, next + size - 1]}.
 */
@Service
public class SequenceService {

    /** The largest range one request may take. */
    public static final long MAX_SIZE = 1_000_000;

    private final Proposer proposer;
    private final Counter ranges;
    private final Counter ids;

    public SequenceService(Proposer proposer, MeterRegistry registry) {
        this.proposer = proposer;
        this.ranges = Counter.builder("replog.sync.ranges.granted")
                .description("Ranges of any sequence handed out by this node").register(registry);
        this.ids = Counter.builder("replog.sync.ids.granted")
                .description("Ids in the ranges handed out by this node").register(registry);
    }

    /** A range of {@code size} ids, above every range of this sequence handed out before. */
    public Mono<Range> take(String name, long size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be within 1.." + MAX_SIZE + ", was " + size);
        }
        return proposer.propose(Keys.sequence(name), value -> {
            long from = next(value);
            long to = Math.addExact(from, size - 1);
            return new Proposer.Change<>(valueOf(to + 1), new Range(name, from, to));
        }).map(Proposer.Decision::result).doOnNext(range -> {
            ranges.increment();
            ids.increment(size);
        });
    }

    /** The next id of the sequence, read linearizably (a full round with the identity change). */
    public Mono<SequenceValue> read(String name) {
        return proposer.propose(Keys.sequence(name),
                value -> new Proposer.Change<>(value, new SequenceValue(name, next(value))))
                .map(Proposer.Decision::result);
    }

    static long next(JsonNode value) {
        return value == null || !value.has("next") ? 1 : value.get("next").asLong();
    }

    static JsonNode valueOf(long next) {
        return JsonNodeFactory.instance.objectNode().put("next", next);
    }

    /** {@code from..to}, both included. */
    public record Range(String name, long from, long to) {
    }

    /** The next id a range would start at. */
    public record SequenceValue(String name, long next) {
    }
}
