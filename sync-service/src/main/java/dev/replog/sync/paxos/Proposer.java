package dev.replog.sync.paxos;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * The CASPaxos proposer of one node (Rystsov, 2018): to change a key it prepares a fresh ballot on
 * every acceptor, takes the value of the highest accepted ballot among a majority of promises,
 * applies the change function and has the result accepted by a majority. A refusal raises its
 * ballot counter above the highest promise seen; a failed round is retried after an exponential,
 * jittered backoff until {@link Settings#giveUpAfter()} has passed, then it fails with
 * {@link NoMajorityException}.
 *
 * <p>Because a value only ever replaces the one read from a majority under the same ballot, two
 * changes can never both be computed from the same value: a range is never handed out twice.
 */
public final class Proposer {

    private static final Logger log = LoggerFactory.getLogger(Proposer.class);

    private final int nodeId;
    private final List<Acceptor> acceptors;
    private final int majority;
    private final Settings settings;
    private final Scheduler scheduler;
    private final AtomicLong counter = new AtomicLong();
    /** The most changes of one key decided in one round. */
    private static final int MAX_BATCH = 256;
    private final Meters meters;

    /**
     * How rounds are timed.
     *
     * @param requestTimeout how long one prepare or accept call may take
     * @param firstBackoff   the first pause after a failed round
     * @param maxBackoff     the longest pause between rounds
     * @param jitter         the jitter factor of the pauses (0..1)
     * @param giveUpAfter    no new round starts once this much time has passed since the first
     */
    public record Settings(Duration requestTimeout, Duration firstBackoff, Duration maxBackoff, double jitter,
            Duration giveUpAfter) {
    }

    /** The new value the change function wants stored, and what the caller learns from it. */
    public record Change<T>(JsonNode value, T result) {
    }

    /** A decided change: the ballot it was accepted with, the value and the caller's result. */
    public record Decision<T>(Ballot ballot, JsonNode value, T result) {
    }

    public Proposer(int nodeId, List<Acceptor> acceptors, Settings settings, Scheduler scheduler,
            MeterRegistry registry) {
        if (nodeId < 1) {
            throw new IllegalArgumentException("node id must be at least 1, was " + nodeId);
        }
        this.nodeId = nodeId;
        this.acceptors = List.copyOf(acceptors);
        this.majority = acceptors.size() / 2 + 1;
        this.settings = settings;
        this.scheduler = scheduler;
        this.meters = new Meters(registry);
    }

    /** The proposer's domain meters, {@code replog.sync.*}. */
    private static final class Meters {
        final Counter decided;
        final Counter conflicts;
        final Counter noMajority;
        final Counter retries;
        final Timer latency;
        final DistributionSummary batch;

        Meters(MeterRegistry registry) {
            decided = rounds(registry, "decided");
            conflicts = rounds(registry, "conflict");
            noMajority = rounds(registry, "no-majority");
            retries = Counter.builder("replog.sync.retries")
                    .description("CASPaxos rounds started again after a round failed").register(registry);
            latency = Timer.builder("replog.sync.round.latency")
                    .description("One CASPaxos round, prepare to accept, whatever its outcome").register(registry);
            batch = DistributionSummary.builder("replog.sync.round.changes")
                    .description("Changes decided together in one round (requests combined per key)")
                    .register(registry);
        }

        private static Counter rounds(MeterRegistry registry, String outcome) {
            return Counter.builder("replog.sync.rounds").tag("outcome", outcome)
                    .description("CASPaxos rounds by outcome: decided, conflict (a higher ballot refused), "
                            + "no-majority (too few nodes answered)")
                    .register(registry);
        }

        void failed(Throwable error) {
            if (error instanceof RoundFailedException failure) {
                (failure.conflict ? conflicts : noMajority).increment();
            }
        }
    }

    /** Makes every later ballot of this proposer higher than {@code seen}. */
    public void observe(Ballot seen) {
        counter.accumulateAndGet(seen.counter(), Math::max);
    }

    /**
     * Decides {@code change} on {@code key}: it is applied to the current value ({@code null} for a
     * key never written). The function may be called again by a later round when an earlier one
     * failed, but its effect is decided once: a round that finds the value its own earlier round
     * sent (an accept stored but not confirmed) completes that one instead.
     *
     * <p>Changes to one key that arrive while this node runs a round on it are decided together in
     * its next round, applied in arrival order: one round per key at a time per node, however many
     * requests wait, so three busy nodes duel over one key far less and each round serves a batch.
     */
    public <T> Mono<Decision<T>> propose(String key, Function<JsonNode, Change<T>> change) {
        Keys.requireValid(key);
        return Mono.create(sink -> enqueue(key, new Pending<>(change, sink)));
    }

    /** One change waiting for a round, and where its outcome goes. */
    private record Pending<T>(Function<JsonNode, Change<T>> change, MonoSink<Decision<T>> sink) {

        /** Applies the change; a change that throws fails alone and leaves the value as it was. */
        Object apply(JsonNode value, JsonNode[] holder) {
            try {
                Change<T> next = change.apply(value);
                holder[0] = next.value();
                return next.result();
            } catch (RuntimeException e) {
                holder[0] = value;
                return new Failed(e);
            }
        }

        @SuppressWarnings("unchecked")
        void complete(Ballot ballot, JsonNode value, Object result) {
            if (result instanceof Failed failed) {
                sink.error(failed.error());
            } else {
                sink.success(new Decision<>(ballot, value, (T) result));
            }
        }
    }

    private record Failed(RuntimeException error) {
    }

    /** The changes of one round, with what each of them produced. */
    private record Batch(List<Pending<?>> changes, List<JsonNode> values, List<Object> results) {
    }

    private final Map<String, Deque<Pending<?>>> waiting = new HashMap<>();
    private final Set<String> running = new HashSet<>();

    private void enqueue(String key, Pending<?> pending) {
        synchronized (waiting) {
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).add(pending);
            if (!running.add(key)) {
                return; // the round in progress starts the next one when it ends
            }
        }
        runNext(key);
    }

    private void runNext(String key) {
        List<Pending<?>> changes = new ArrayList<>();
        synchronized (waiting) {
            Deque<Pending<?>> queue = waiting.get(key);
            while (queue != null && !queue.isEmpty() && changes.size() < MAX_BATCH) {
                changes.add(queue.poll());
            }
            if (changes.isEmpty()) {
                waiting.remove(key);
                running.remove(key);
                return;
            }
        }
        meters.batch.record(changes.size());
        withRetries(key, value -> {
            List<JsonNode> values = new ArrayList<>(changes.size());
            List<Object> results = new ArrayList<>(changes.size());
            JsonNode[] current = {value};
            for (Pending<?> pending : changes) {
                results.add(pending.apply(current[0], current));
                values.add(current[0]);
            }
            return new Change<>(current[0], new Batch(changes, values, results));
        }).subscribe(
                decision -> {
                    Batch batch = decision.result();
                    for (int i = 0; i < batch.changes().size(); i++) {
                        batch.changes().get(i).complete(decision.ballot(), batch.values().get(i), batch.results().get(i));
                    }
                    runNext(key);
                },
                error -> {
                    changes.forEach(pending -> pending.sink().error(error));
                    runNext(key);
                });
    }

    private <T> Mono<Decision<T>> withRetries(String key, Function<JsonNode, Change<T>> change) {
        long giveUpAt = scheduler.now(TimeUnit.MILLISECONDS) + settings.giveUpAfter().toMillis();
        Retry retry = Retry.backoff(Long.MAX_VALUE, settings.firstBackoff())
                .maxBackoff(settings.maxBackoff())
                .jitter(settings.jitter())
                .scheduler(scheduler)
                .filter(error -> error instanceof RoundFailedException
                        && scheduler.now(TimeUnit.MILLISECONDS) < giveUpAt)
                .doBeforeRetry(signal -> meters.retries.increment());
        Sent<T> sent = new Sent<>();
        return Mono.defer(() -> round(key, change, sent))
                .retryWhen(retry)
                .onErrorMap(RoundFailedException.class, this::noMajority);
    }

    private NoMajorityException noMajority(RoundFailedException failure) {
        String why = failure.conflict
                ? "contention on the key did not settle in " + settings.giveUpAfter()
                : "only " + failure.answered + " of " + acceptors.size() + " sync nodes answered the " + failure.phase;
        return new NoMajorityException(why + "; the operation may or may not have taken effect", failure.answered,
                majority);
    }

    /** The changes the rounds of one proposal sent to be accepted, by ballot. */
    private static final class Sent<T> {
        private final Map<Ballot, Change<T>> byBallot = new java.util.concurrent.ConcurrentHashMap<>();
    }

    /** What phase 1 read: the highest accepted ballot among a majority of promises, and its value. */
    private record Read(Ballot accepted, JsonNode value) {
    }

    private <T> Mono<Decision<T>> round(String key, Function<JsonNode, Change<T>> change, Sent<T> sent) {
        Ballot ballot = new Ballot(counter.incrementAndGet(), nodeId);
        long started = System.nanoTime();
        return prepare(key, ballot).flatMap(read -> {
            // An earlier round of this proposal whose accept was stored somewhere but not confirmed
            // by a majority: the value read is the one it sent, with this change already applied.
            // Finish that round's change instead of applying the change a second time (a release
            // applied twice would report that the lock was not held; a range would leave a gap).
            Change<T> earlier = sent.byBallot.get(read.accepted());
            Change<T> next = earlier != null ? earlier : change.apply(read.value());
            sent.byBallot.put(ballot, next);
            return accept(key, ballot, next.value()).thenReturn(new Decision<>(ballot, next.value(), next.result()));
        }).doOnEach(signal -> {
            if (signal.isOnNext() || signal.isOnError()) {
                meters.latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            if (signal.isOnNext()) {
                meters.decided.increment();
            } else if (signal.isOnError()) {
                meters.failed(signal.getThrowable());
            }
        });
    }

    /** Phase 1: the value of the highest accepted ballot among a majority of promises. */
    private Mono<Read> prepare(String key, Ballot ballot) {
        Messages.Prepare message = new Messages.Prepare(key, ballot);
        return Mono.defer(() -> {
            PrepareTally tally = new PrepareTally();
            List<Mono<Optional<Messages.Promise>>> calls = acceptors.stream().map(a -> call(a.prepare(message), a))
                    .toList();
            return Flux.merge(calls).takeUntil(tally::add).then(Mono.fromCallable(tally::outcome));
        });
    }

    /** Phase 2: a majority stores the new value. */
    private Mono<Void> accept(String key, Ballot ballot, JsonNode value) {
        Messages.Accept message = new Messages.Accept(key, ballot, value);
        return Mono.defer(() -> {
            AcceptTally tally = new AcceptTally();
            List<Mono<Optional<Messages.Accepted>>> calls = acceptors.stream().map(a -> call(a.accept(message), a))
                    .toList();
            return Flux.merge(calls).takeUntil(tally::add).then(Mono.fromRunnable(tally::outcome));
        });
    }

    /**
     * One call, started at once and bounded by the request timeout; an error or timeout is an
     * empty answer. Every call of a phase is sent, and runs to its end even when the phase is
     * decided without it: cancelling an exchange half-way only makes noise, and a late acceptor
     * that still gets the accept catches up for free.
     */
    private <R> Mono<Optional<R>> call(Mono<R> request, Acceptor acceptor) {
        Mono<Optional<R>> answer = request.timeout(settings.requestTimeout(), scheduler)
                .map(Optional::of)
                .onErrorResume(error -> {
                    log.debug("{} did not answer: {}", acceptor.name(), error.toString());
                    return Mono.just(Optional.empty());
                })
                .defaultIfEmpty(Optional.empty());
        return Mono.fromFuture(answer.toFuture(), true);
    }

    /** Counts answers to a prepare; {@link #add} says whether the phase is decided. */
    private final class PrepareTally {
        private int promises;
        private int refusals;
        private int silent;
        private Ballot highest = Ballot.ZERO;
        private JsonNode value;

        boolean add(Optional<Messages.Promise> answer) {
            if (answer.isEmpty()) {
                silent++;
            } else if (answer.get().ok()) {
                Messages.Promise promise = answer.get();
                promises++;
                observe(promise.accepted());
                if (promise.accepted().isAbove(highest)) {
                    highest = promise.accepted();
                    value = AcceptorCore.normalize(promise.value());
                }
            } else {
                refusals++;
                observe(answer.get().promised());
            }
            return promises >= majority || acceptors.size() - silent - refusals < majority;
        }

        Read outcome() {
            if (promises >= majority) {
                return new Read(highest, value);
            }
            throw new RoundFailedException("prepare", refusals > 0, promises + refusals);
        }
    }

    /** Counts answers to an accept; {@link #add} says whether the phase is decided. */
    private final class AcceptTally {
        private int oks;
        private int refusals;
        private int silent;

        boolean add(Optional<Messages.Accepted> answer) {
            if (answer.isEmpty()) {
                silent++;
            } else if (answer.get().ok()) {
                oks++;
            } else {
                refusals++;
                observe(answer.get().promised());
            }
            return oks >= majority || acceptors.size() - silent - refusals < majority;
        }

        void outcome() {
            if (oks < majority) {
                throw new RoundFailedException("accept", refusals > 0, oks + refusals);
            }
        }
    }
}
