package dev.replog.sync.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A round whose accept was stored by one acceptor but never confirmed (the other accepts and every
 * answer were lost) is retried; the retry reads that value back, and must complete that change
 * rather than apply it a second time on top of itself.
 */
class UnconfirmedAcceptTest {

    private static final String KEY = "seq.ids";

    @Test
    void aRetryThatReadsItsOwnUnconfirmedAcceptCompletesItInsteadOfApplyingTheChangeAgain() {
        AcceptorCore a = new AcceptorCore(new AcceptorStore.InMemory());
        AcceptorCore b = new AcceptorCore(new AcceptorStore.InMemory());
        AcceptorCore c = new AcceptorCore(new AcceptorStore.InMemory());
        AtomicInteger accepts = new AtomicInteger();
        List<Acceptor> acceptors = List.of(new Lossy("a", a, accepts, true), new Lossy("b", b, accepts, false),
                new Lossy("c", c, accepts, false));
        Proposer proposer = new Proposer(1, acceptors, new Proposer.Settings(Duration.ofMillis(200),
                Duration.ofMillis(5), Duration.ofMillis(20), 0.5, Duration.ofSeconds(5)), Schedulers.parallel(),
                new SimpleMeterRegistry());
        AtomicInteger applied = new AtomicInteger();

        long from = proposer.propose(KEY, value -> {
            applied.incrementAndGet();
            long next = value == null ? 1 : value.get("next").asLong();
            return new Proposer.Change<>(JsonNodeFactory.instance.objectNode().put("next", next + 5), next);
        }).map(Proposer.Decision::result).block(Duration.ofSeconds(10));

        assertThat(from).isEqualTo(1);
        assertThat(applied.get()).as("the change was computed once, in the first round").isEqualTo(1);
        assertThat(next(a)).isEqualTo(6);
    }

    private static long next(AcceptorCore core) {
        JsonNode value = core.stateOf(KEY).value();
        return value == null ? 1 : value.get("next").asLong();
    }

    /**
     * An acceptor over a network that loses the first round's accept: acceptor "a" stores it but
     * its answer is lost, the others never get it. Later calls go through.
     */
    private record Lossy(String name, AcceptorCore core, AtomicInteger accepts, boolean storesFirst) implements Acceptor {

        /**
         * "a" answers at once, the others after a thread hop: the retry's first majority of promises
         * then always holds a's unconfirmed accept, which is what this test is about. (Decided by
         * whichever two answer first, a retry that heard only b and c would not see that accept and
         * would rightly compute the change afresh: the accept was never chosen.)
         */
        @Override
        public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
            Mono<Messages.Promise> promise = Mono.fromCallable(() -> core.prepare(prepare));
            return storesFirst ? promise : promise.subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public Mono<Messages.Accepted> accept(Messages.Accept accept) {
            return Mono.defer(() -> {
                if (accepts.incrementAndGet() <= 3) { // the first round's three accepts
                    if (storesFirst) {
                        core.accept(accept);
                    }
                    return Mono.never();
                }
                return Mono.fromCallable(() -> core.accept(accept)).subscribeOn(Schedulers.boundedElastic());
            });
        }
    }
}
