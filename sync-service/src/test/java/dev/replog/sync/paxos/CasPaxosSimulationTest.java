package dev.replog.sync.paxos;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * CASPaxos over a simulated network that loses, delays (and so reorders) and duplicates messages,
 * in virtual time: concurrent clients on three proposers take ranges of mixed sizes and read; the
 * history must be linearizable for a counter register.
 */
class CasPaxosSimulationTest {

    private static final String KEY = "seq.sim";
    private static final long[] SIZES = {1, 7, 13, 1000, 1250};

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void rangesTakenOverALossyReorderingDuplicatingNetworkAreLinearizable(@ForAll long seed) {
        Simulation sim = new Simulation(seed);
        List<Op> history = sim.run(3, 2, 8);
        long finalNext = sim.finalRead();

        List<Op> ok = history.stream().filter(op -> op.ok).toList();
        List<Op> ranges = ok.stream().filter(op -> op.size > 0).toList();
        assertThat(ok).as("some operations succeed despite the faults").isNotEmpty();

        // ranges never overlap and lie within what the final value says was handed out
        List<Op> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a.from, b.from));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).from).as("ranges overlap: %s %s", sorted.get(i - 1), sorted.get(i))
                    .isGreaterThan(sorted.get(i - 1).to);
        }
        for (Op op : ranges) {
            assertThat(op.to - op.from + 1).isEqualTo(op.size);
            assertThat(op.from).isGreaterThanOrEqualTo(1);
            assertThat(op.to).isLessThanOrEqualTo(finalNext - 1);
        }
        long sumOk = ranges.stream().mapToLong(op -> op.size).sum();
        assertThat(finalNext).as("final value counts every successful range").isGreaterThanOrEqualTo(1 + sumOk);

        // real-time order: an operation that completed before another began is ordered before it
        for (Op a : ok) {
            for (Op b : ok) {
                if (a.completed < b.invoked) {
                    assertThat(upperOf(a)).as("%s precedes %s", a, b).isLessThanOrEqualTo(lowerOf(b));
                }
            }
        }
    }

    /** The register value an operation leaves behind (a range: to + 1; a read: what it saw). */
    private static long upperOf(Op op) {
        return op.size > 0 ? op.to + 1 : op.read;
    }

    /** The register value an operation started from (a range: from; a read: what it saw). */
    private static long lowerOf(Op op) {
        return op.size > 0 ? op.from : op.read;
    }

    /** One client operation: a range of {@code size} (0: a read). */
    static final class Op {
        final int client;
        final long size;
        final long invoked;
        long completed;
        boolean ok;
        long from;
        long to;
        long read;

        Op(int client, long size, long invoked) {
            this.client = client;
            this.size = size;
            this.invoked = invoked;
        }

        @Override
        public String toString() {
            return "c" + client + (size > 0 ? " range " + from + ".." + to : " read " + read) + " [" + invoked + ","
                    + completed + "]" + (ok ? "" : " failed");
        }
    }

    static final class Simulation {
        private final Random random;
        private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
        private final List<AcceptorCore> acceptors = new ArrayList<>();
        private final List<Proposer> proposers = new ArrayList<>();
        private volatile boolean faulty = true;

        Simulation(long seed) {
            this.random = new Random(seed);
            for (int i = 0; i < 3; i++) {
                acceptors.add(new AcceptorCore(new AcceptorStore.InMemory()));
            }
            Proposer.Settings settings = new Proposer.Settings(Duration.ofMillis(100), Duration.ofMillis(5),
                    Duration.ofMillis(80), 0.5, Duration.ofSeconds(2));
            for (int p = 1; p <= 3; p++) {
                List<Acceptor> links = new ArrayList<>();
                for (int a = 0; a < 3; a++) {
                    links.add(new Link("p" + p + "->a" + a, acceptors.get(a)));
                }
                Collections.shuffle(links, random);
                proposers.add(new Proposer(p, links, settings, time, new SimpleMeterRegistry()));
            }
        }

        List<Op> run(int proposerCount, int clientsPerProposer, int opsPerClient) {
            List<Op> history = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger running = new AtomicInteger();
            int client = 0;
            for (int p = 0; p < proposerCount; p++) {
                for (int c = 0; c < clientsPerProposer; c++) {
                    int id = client++;
                    Proposer proposer = proposers.get(p);
                    List<Long> plan = new ArrayList<>();
                    for (int i = 0; i < opsPerClient; i++) {
                        plan.add(random.nextInt(4) == 0 ? 0 : SIZES[random.nextInt(SIZES.length)]);
                    }
                    running.incrementAndGet();
                    Flux.fromIterable(plan)
                            .concatMap(size -> operate(proposer, id, size, history))
                            .doFinally(s -> running.decrementAndGet())
                            .subscribe();
                }
            }
            for (int step = 0; running.get() > 0 && step < 100_000; step++) {
                time.advanceTimeBy(Duration.ofMillis(5));
            }
            assertThat(running.get()).as("every client finished").isZero();
            return history;
        }

        long finalRead() {
            faulty = false;
            Long[] next = new Long[1];
            proposers.get(0).propose(KEY, v -> new Proposer.Change<>(v, nextOf(v))).subscribe(d -> next[0] = d.result());
            for (int step = 0; next[0] == null && step < 10_000; step++) {
                time.advanceTimeBy(Duration.ofMillis(5));
            }
            assertThat(next[0]).as("a read on a healed network succeeds").isNotNull();
            return next[0];
        }

        private Mono<Op> operate(Proposer proposer, int client, long size, List<Op> history) {
            return Mono.defer(() -> {
                Op op = new Op(client, size, time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
                history.add(op);
                Mono<Op> done;
                if (size == 0) {
                    done = proposer.propose(KEY, v -> new Proposer.Change<>(v, nextOf(v)))
                            .map(d -> {
                                op.read = d.result();
                                return op;
                            });
                } else {
                    done = proposer.propose(KEY, v -> {
                        long from = nextOf(v);
                        return new Proposer.Change<>(counter(from + size), from);
                    }).map(d -> {
                        op.from = d.result();
                        op.to = d.result() + size - 1;
                        return op;
                    });
                }
                return done.doOnNext(o -> o.ok = true)
                        .onErrorResume(NoMajorityException.class, e -> Mono.just(op))
                        .doOnNext(o -> o.completed = time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
            });
        }

        private static long nextOf(JsonNode value) {
            return value == null ? 1 : value.get("next").asLong();
        }

        private static JsonNode counter(long next) {
            return JsonNodeFactory.instance.objectNode().put("next", next);
        }

        /** One proposer's view of one acceptor through the faulty network. */
        private final class Link implements Acceptor {
            private final String name;
            private final AcceptorCore core;

            Link(String name, AcceptorCore core) {
                this.name = name;
                this.core = core;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
                return deliver(() -> core.prepare(prepare));
            }

            @Override
            public Mono<Messages.Accepted> accept(Messages.Accept accept) {
                return deliver(() -> core.accept(accept));
            }

            private <T> Mono<T> deliver(java.util.function.Supplier<T> handle) {
                return Mono.defer(() -> {
                    if (faulty && random.nextInt(100) < 15) {
                        return Mono.never(); // request lost
                    }
                    long there = faulty ? random.nextInt(40) : 1;
                    if (faulty && random.nextInt(100) < 10) {
                        // a duplicate, delivered again later; its answer goes nowhere
                        time.schedule(handle::get, there + random.nextInt(200),
                                java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    boolean answerLost = faulty && random.nextInt(100) < 10;
                    long back = faulty ? random.nextInt(40) : 1;
                    return Mono.delay(Duration.ofMillis(there), time)
                            .map(tick -> handle.get())
                            .flatMap(answer -> answerLost
                                    ? Mono.<T>never()
                                    : Mono.delay(Duration.ofMillis(back), time).thenReturn(answer));
                });
            }
        }
    }
}
