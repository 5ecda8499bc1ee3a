package dev.replog.sync.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.sync.paxos.Acceptor;
import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.AcceptorStore;
import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import dev.replog.sync.paxos.Proposer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Range requests that reach one node while it runs a round on their sequence wait for that round
 * and are then decided together in one round: the sizes add up, and the committed interval is
 * split among the callers in the order they came in.
 */
class RangeCombiningTest {

    private static final Proposer.Settings SETTINGS = new Proposer.Settings(Duration.ofSeconds(2),
            Duration.ofMillis(5), Duration.ofMillis(50), 0.5, Duration.ofSeconds(5));

    @Test
    void requestsArrivingDuringARoundAreDecidedTogetherInTheNextOneSplitInArrivalOrder() {
        Sinks.Empty<Void> firstRoundMayGoOn = Sinks.empty();
        AtomicInteger prepares = new AtomicInteger();
        Set<Ballot> rounds = ConcurrentHashMap.newKeySet();
        List<Acceptor> acceptors = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            acceptors.add(new Gated("a" + i, new AcceptorCore(new AcceptorStore.InMemory()), prepares,
                    firstRoundMayGoOn.asMono(), rounds));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SequenceService sequences = new SequenceService(
                new Proposer(1, acceptors, SETTINGS, Schedulers.parallel(), registry), registry);

        CompletableFuture<SequenceService.Range> first = sequences.take("ids", 1).toFuture();
        long[] sizes = {7, 13, 1000, 1250, 3};
        List<CompletableFuture<SequenceService.Range>> waiting = new ArrayList<>();
        for (long size : sizes) {
            waiting.add(sequences.take("ids", size).toFuture()); // in this order, while round 1 is held
        }
        firstRoundMayGoOn.tryEmitEmpty();

        assertThat(first.join()).isEqualTo(new SequenceService.Range("ids", 1, 1));
        long from = 2;
        for (int i = 0; i < sizes.length; i++) {
            long to = from + sizes[i] - 1;
            assertThat(waiting.get(i).join()).as("caller %d", i + 2).isEqualTo(new SequenceService.Range("ids", from, to));
            from = to + 1;
        }
        assertThat(rounds).as("ballots prepared: one round for the first caller, one for the five others").hasSize(2);
        assertThat(registry.get("replog.sync.round.changes").summary().max()).isEqualTo(sizes.length);
        assertThat(registry.get("replog.sync.rounds").tag("outcome", "decided").counter().count()).isEqualTo(2);
        assertThat(registry.get("replog.sync.ranges.granted").counter().count()).isEqualTo(1 + sizes.length);
        assertThat(registry.get("replog.sync.ids.granted").counter().count()).isEqualTo(from - 1);
    }

    /** An acceptor whose first round's prepares wait for a gate. */
    private record Gated(String name, AcceptorCore core, AtomicInteger prepares, Mono<Void> gate, Set<Ballot> rounds)
            implements Acceptor {

        @Override
        public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
            Mono<Messages.Promise> answer = Mono.fromCallable(() -> core.prepare(prepare));
            return Mono.defer(() -> {
                rounds.add(prepare.ballot());
                return prepares.incrementAndGet() <= 3 ? gate.then(answer) : answer;
            });
        }

        @Override
        public Mono<Messages.Accepted> accept(Messages.Accept accept) {
            return Mono.fromCallable(() -> core.accept(accept));
        }
    }
}
