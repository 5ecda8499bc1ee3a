package dev.replog.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.sync.paxos.Acceptor;
import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.AcceptorStore;
import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import dev.replog.sync.paxos.Proposer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The re-join window: a promise node C gave just before it lost its state, under a ballot higher
 * than anything A and B have seen, must not let that round finish after C re-joined. The schedule,
 * step by step on the acceptor cores (A, B, C = nodes 1, 2, 3):
 * <ol>
 * <li>ids 1..10 are taken: next = 11 on every node;</li>
 * <li>B's proposer prepares ballot 1000.2 (its counter went up on refusals); C promises it and
 * answers next = 11; the prepare to B's own acceptor is held up;</li>
 * <li>C loses its disk, restarts empty and re-joins through A and B;</li>
 * <li>A's proposer takes 11..20 with A and the re-joined C (B is slow): next = 21;</li>
 * <li>the held prepare reaches B. Had B promised, the round would hold promises from C (before
 * the wipe) and B, both saying next = 11, and hand out 11..20 a second time with accepts from B
 * and C. With the generation fence B refuses it, and B and C refuse its accept.</li>
 * </ol>
 */
class RejoinFenceTest {

    private static final String KEY = "seq.ids";
    private static final Proposer.Settings FAST = new Proposer.Settings(Duration.ofMillis(500), Duration.ofMillis(5),
            Duration.ofMillis(50), 0.5, Duration.ofSeconds(3));

    private Membership membership;
    private final Map<String, Membership> members = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (membership != null) {
            membership.stop();
        }
        members.values().forEach(Membership::stop);
    }

    @Test
    void nodesThatStartTogetherAllVoteWhenOneFoundTheClusterNewBeforeTheOthersLooked() {
        List<String> names = List.of("sync-1", "sync-2", "sync-3");
        Map<String, MembershipPeer> peers = new LinkedHashMap<>();
        for (String name : names) {
            peers.put(name, new MembershipPeer(name, new AcceptorCore(new AcceptorStore.InMemory(false)), members));
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            List<Peer> others = peers.values().stream().filter(p -> !p.name().equals(name)).map(Peer.class::cast).toList();
            members.put(name, new Membership(name, peers.get(name).core(), others,
                    new Proposer(i + 1, List.copyOf(others), FAST, Schedulers.parallel(), new SimpleMeterRegistry()),
                    Duration.ofMillis(20), Schedulers.boundedElastic()));
        }
        Membership first = members.get("sync-3");
        first.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.status() == Membership.Status.VOTING);
        // a client's round reached the first voter before the others looked: it now holds a key
        assertThat(peers.get("sync-3").core().prepare(new Messages.Prepare(KEY, new Ballot(1, 3))).ok()).isTrue();

        members.get("sync-1").start();
        members.get("sync-2").start();
        // without the first voter's record of whom it formed the cluster with, both would re-join,
        // and each re-join's copy round needs the other re-joiner's vote: neither would ever vote
        await("every node to vote").atMost(Duration.ofSeconds(10))
                .until(() -> members.values().stream().allMatch(m -> m.status() == Membership.Status.VOTING));
        List<Acceptor> all = List.copyOf(peers.values());
        assertThat(take(new Proposer(1, all, FAST, Schedulers.parallel(), new SimpleMeterRegistry()), 10))
                .as("the new cluster hands out its first range").isEqualTo(1);
    }

    @Test
    void aRoundHoldingAPromiseTheWipedNodeForgotCannotFinishAfterItReJoined() {
        AcceptorCore a = new AcceptorCore(new AcceptorStore.InMemory());
        AcceptorCore b = new AcceptorCore(new AcceptorStore.InMemory());
        AcceptorCore c = new AcceptorCore(new AcceptorStore.InMemory());
        Proposer all = proposer(1, a, b, c);
        assertThat(take(all, 10)).isEqualTo(1);
        await("every node to hold next = 11").atMost(Duration.ofSeconds(5))
                .until(() -> List.of(a, b, c).stream().allMatch(core -> next(core.stateOf(KEY).value()) == 11));

        Ballot stale = new Ballot(1000, 2);
        Messages.Promise fromOldC = c.prepare(new Messages.Prepare(KEY, stale));
        assertThat(fromOldC.ok()).isTrue();
        assertThat(next(fromOldC.value())).isEqualTo(11);

        AcceptorCore wipedC = new AcceptorCore(new AcceptorStore.InMemory(false));
        membership = new Membership("sync-3", wipedC, List.of(new InMemoryPeer("sync-1", a), new InMemoryPeer("sync-2", b)),
                proposer(3, a, b), Duration.ofMillis(20), Schedulers.boundedElastic());
        membership.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> membership.status() == Membership.Status.VOTING);
        assertThat(next(wipedC.stateOf(KEY).value())).as("C copied the latest value").isEqualTo(11);

        assertThat(take(proposer(1, a, wipedC), 10)).as("A and C take the next range").isEqualTo(11);

        Messages.Promise fromB = b.prepare(new Messages.Prepare(KEY, stale));
        assertThat(fromB.ok()).as("B promises the stale ballot %s (B's floor %s)", stale, b.floor()).isFalse();
        JsonNode duplicate = JsonNodeFactory.instance.objectNode().put("next", 21);
        assertThat(b.accept(new Messages.Accept(KEY, stale, duplicate)).ok()).as("B accepts the stale round").isFalse();
        assertThat(wipedC.accept(new Messages.Accept(KEY, stale, duplicate)).ok()).as("C accepts the stale round")
                .isFalse();
        assertThat(take(proposer(2, a, b, wipedC), 1)).as("the sequence goes on above 11..20").isEqualTo(21);
    }

    @Test
    void aNodeWithoutStateFencesPeersThatHaveVotedEvenWhenTheyHoldNoKeyYet() {
        AcceptorCore a = new AcceptorCore(new AcceptorStore.InMemory());
        AcceptorCore b = new AcceptorCore(new AcceptorStore.InMemory());
        AcceptorCore wipedC = new AcceptorCore(new AcceptorStore.InMemory(false));
        membership = new Membership("sync-3", wipedC, List.of(new InMemoryPeer("sync-1", a), new InMemoryPeer("sync-2", b)),
                proposer(3, a, b), Duration.ofMillis(20), Schedulers.boundedElastic());
        membership.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> membership.status() == Membership.Status.VOTING);

        assertThat(List.of(a.floor(), b.floor(), wipedC.floor())).as("floors of A, B and C")
                .containsOnly(Ballot.floorOf(1));
    }

    @Test
    void aFloorIsDurableAndOnlyRises() {
        AcceptorStore.InMemory store = new AcceptorStore.InMemory();
        AcceptorCore core = new AcceptorCore(store);
        Ballot second = Ballot.floorOf(2);
        assertThat(core.fence(second)).isEqualTo(second);
        assertThat(core.fence(Ballot.floorOf(1))).as("a lower fence leaves the floor").isEqualTo(second);
        assertThat(new AcceptorCore(store).floor()).as("the floor after a restart").isEqualTo(second);
        assertThat(Ballot.floorOf(2).isAbove(new Ballot((2L << 40) - 1, 3))).as("a floor is above the "
                + "highest ballot of the generation before").isTrue();
        Messages.Promise refused = core.prepare(new Messages.Prepare(KEY, new Ballot(1_000_000, 1)));
        assertThat(refused.ok()).isFalse();
        assertThat(refused.promised()).as("a refusal names the floor, so the proposer moves up").isEqualTo(second);
    }

    private static long take(Proposer proposer, long size) {
        return proposer.propose(KEY, value -> {
            long from = next(value);
            return new Proposer.Change<>(JsonNodeFactory.instance.objectNode().put("next", from + size), from);
        }).map(Proposer.Decision::result).block(Duration.ofSeconds(10));
    }

    private static long next(JsonNode value) {
        return value == null ? 1 : value.get("next").asLong();
    }

    private static Proposer proposer(int nodeId, AcceptorCore... cores) {
        List<Acceptor> acceptors = java.util.Arrays.stream(cores)
                .map(core -> (Acceptor) new InMemoryPeer("core", core)).toList();
        return new Proposer(nodeId, acceptors, FAST, Schedulers.parallel(), new SimpleMeterRegistry());
    }

    /**
     * A node reached in-process with its {@link Membership}: it reports the membership's summary and,
     * like the acceptor endpoints (503), takes no part in rounds until the membership votes.
     */
    private record MembershipPeer(String name, AcceptorCore core, Map<String, Membership> members) implements Peer {

        private InMemoryPeer node() {
            return new InMemoryPeer(name, core);
        }

        private <T> Mono<T> whenVoting(Mono<T> call) {
            return Mono.defer(() -> members.get(name).status() == Membership.Status.VOTING ? call
                    : Mono.error(new IllegalStateException(name + " does not vote yet (503)")));
        }

        @Override
        public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
            return whenVoting(node().prepare(prepare));
        }

        @Override
        public Mono<Messages.Accepted> accept(Messages.Accept accept) {
            return whenVoting(node().accept(accept));
        }

        @Override
        public Mono<Messages.StateSummary> summary() {
            return Mono.fromCallable(() -> members.get(name).summary());
        }

        @Override
        public Mono<List<String>> keys() {
            return node().keys();
        }

        @Override
        public Mono<Ballot> fence(Ballot floor) {
            return node().fence(floor);
        }
    }

    /**
     * A node reached in-process: its acceptor core, always voting. Answers come on another thread,
     * as over the network, so a proposer sends every call of a phase before the first answer.
     */
    private record InMemoryPeer(String name, AcceptorCore core) implements Peer {

        @Override
        public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
            return Mono.fromCallable(() -> core.prepare(prepare)).subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public Mono<Messages.Accepted> accept(Messages.Accept accept) {
            return Mono.fromCallable(() -> core.accept(accept)).subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public Mono<Messages.StateSummary> summary() {
            return Mono.fromCallable(() -> new Messages.StateSummary(name, "VOTING", core.keys().size(),
                    core.maxBallot()));
        }

        @Override
        public Mono<List<String>> keys() {
            return Mono.fromCallable(core::keys);
        }

        @Override
        public Mono<Ballot> fence(Ballot floor) {
            return Mono.fromCallable(() -> core.fence(floor));
        }
    }
}
