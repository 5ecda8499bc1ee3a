package dev.replog.sync.cluster;

import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.AcceptorState;
import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import dev.replog.sync.paxos.Proposer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Whether this node's acceptor may vote. A node whose state directory records that it has been a
 * voting member votes at once. A node without that record ({@code JOINING}) asks every other node
 * for a {@link Messages.StateSummary}: if every one answers, none holds state and none has ever
 * voted, the cluster is new and it votes at once; otherwise this node may have voted and lost its
 * state, so it re-joins ({@code REJOINING}) before voting (until then its acceptor answers 503):
 * <ol>
 * <li>It fences both other nodes (both must answer) with the first ballot of a new generation,
 * one above every generation they know ({@link Ballot#generation()}). From then on they refuse
 * every ballot of an older generation. This closes the window a forgotten promise leaves open: a
 * proposer may hold a promise this node gave just before it lost its state, under a ballot higher
 * than anything the others have seen; no round under such a ballot can now finish.</li>
 * <li>For every key the others know, it runs a CASPaxos identity round on the two other nodes
 * only, under the new generation, so both hold the latest value under a ballot above every
 * promise they made, and copies that value with that ballot as its own promise.</li>
 * <li>It raises its own floor to the new generation, records that it is a member and votes.</li>
 * </ol>
 * A generation is fenced on both other nodes before any ballot of it is used, so the two nodes
 * that did not lose their state always know the highest generation in use.
 *
 * <p>Nodes of a new cluster start within moments of each other, so one may find every peer
 * JOINING and vote while the others look a moment later, see a voting peer and would re-join; two
 * re-joiners need each other's votes for their copy rounds and wait for each other forever. A node
 * that finds the cluster new therefore reports the incarnations (a random id per run without
 * state) of the peers it saw JOINING; a JOINING node that finds its own incarnation there was
 * part of that new cluster, has promised nothing in this run, and votes too.
 */
public final class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    /** Where the node stands. */
    public enum Status {
        /** Without state; asking the peers whether the cluster is new. */
        JOINING,
        /** Without state in a cluster that has state: copying it from the others. */
        REJOINING,
        /** Votes. */
        VOTING
    }

    private final String nodeName;
    private final AcceptorCore core;
    private final List<Peer> others;
    private final Proposer rejoinProposer;
    private final Duration checkInterval;
    private final Scheduler blocking;
    private volatile Status status;
    private volatile Disposable joining;
    /** This run's id: what a peer that found the cluster new while we were JOINING reports. */
    private final String incarnation = UUID.randomUUID().toString();
    /** The incarnations seen JOINING when this node found the cluster new (set before it votes). */
    private volatile List<String> formedWith = List.of();

    public Membership(String nodeName, AcceptorCore core, List<? extends Peer> others, Proposer rejoinProposer,
            Duration checkInterval, Scheduler blocking) {
        this.nodeName = nodeName;
        this.core = core;
        this.others = List.copyOf(others);
        this.rejoinProposer = rejoinProposer;
        this.checkInterval = checkInterval;
        this.blocking = blocking;
        this.status = core.store().isMember() ? Status.VOTING : Status.JOINING;
    }

    public Status status() {
        return status;
    }

    public Messages.StateSummary summary() {
        return new Messages.StateSummary(nodeName, status.name(), core.keys().size(), core.maxBallot(), incarnation,
                formedWith);
    }

    /** Starts finding out whether to re-join, unless the node already votes. */
    public synchronized void start() {
        if (status != Status.VOTING && joining == null) {
            log.info("{} starts without acceptor state: asking {} peers whether it must re-join", nodeName,
                    others.size());
            joining = Mono.defer(this::join)
                    .retryWhen(reactor.util.retry.Retry.fixedDelay(Long.MAX_VALUE, checkInterval)
                            .doBeforeRetry(this::logWaiting))
                    .subscribe();
        }
    }

    private void logWaiting(reactor.util.retry.Retry.RetrySignal signal) {
        // once at first, then every 20th attempt: peers that are still starting are no news
        if (signal.totalRetries() % 20 == 0) {
            log.info("{} cannot vote yet ({} attempts): {}", nodeName, signal.totalRetries() + 1,
                    signal.failure().toString());
        }
    }

    public synchronized void stop() {
        if (joining != null) {
            joining.dispose();
        }
    }

    private Mono<Void> join() {
        return Flux.fromIterable(others)
                .flatMap(peer -> peer.summary().map(Optional::of).onErrorReturn(Optional.empty()))
                .collectList()
                .flatMap(answers -> {
                    if (answers.stream().anyMatch(Optional::isEmpty)) {
                        return Mono.error(new IllegalStateException("not every peer answered; a node without state "
                                + "votes only once it knows whether the cluster already holds state"));
                    }
                    List<Messages.StateSummary> summaries = answers.stream().map(Optional::get).toList();
                    // New only if no peer ever voted: a peer that voted may hold no key yet while a round
                    // on a first key, with a promise this node forgot, is still in flight.
                    boolean clusterHasState = summaries.stream()
                            .anyMatch(s -> s.keys() > 0 || !Status.JOINING.name().equals(s.status()));
                    if (!clusterHasState) {
                        log.info("{}: no peer has ever voted, the cluster is new: voting", nodeName);
                        formedWith = summaries.stream().map(Messages.StateSummary::incarnation)
                                .filter(Objects::nonNull).toList();
                        return becomeVoting();
                    }
                    Optional<Messages.StateSummary> formedWithUs = summaries.stream()
                            .filter(s -> Status.VOTING.name().equals(s.status()) && s.formedWith().contains(incarnation))
                            .findFirst();
                    if (formedWithUs.isPresent()) {
                        log.info("{}: {} found the cluster new with this node in it: voting", nodeName,
                                formedWithUs.get().node());
                        return becomeVoting();
                    }
                    status = Status.REJOINING;
                    long highest = summaries.stream().mapToLong(s -> s.maxBallot().generation()).max().orElse(0);
                    return rejoin(Ballot.floorOf(highest + 1));
                });
    }

    private Mono<Void> rejoin(Ballot wanted) {
        // Both must answer; the floor in force is the highest either reports (ours, unless another
        // node re-joined at the same time and fenced higher).
        return Flux.fromIterable(others)
                .flatMap(peer -> peer.fence(wanted))
                .reduce(wanted, Ballot::max)
                .flatMap(floor -> {
                    log.info("{} re-joins in generation {}: both other nodes now refuse older ballots", nodeName,
                            floor.generation());
                    rejoinProposer.observe(floor);
                    return copyEveryKey()
                            .then(Mono.fromRunnable(() -> core.fence(floor)).subscribeOn(blocking));
                })
                .then(becomeVoting())
                .doOnSuccess(done -> log.info("{} has re-joined and votes", nodeName));
    }

    private Mono<Void> copyEveryKey() {
        return Flux.fromIterable(others)
                .flatMap(Peer::keys)
                .collect(TreeSet<String>::new, TreeSet::addAll)
                .flatMapMany(keys -> {
                    log.info("{} re-joins: copying {} keys through the other nodes", nodeName, keys.size());
                    return Flux.fromIterable(keys);
                })
                .concatMap(this::copy)
                .then();
    }

    /** An identity round on the other nodes, then their value with its ballot becomes this node's state. */
    private Mono<Void> copy(String key) {
        return rejoinProposer.propose(key, value -> new Proposer.Change<>(value, null))
                .flatMap(decision -> Mono.fromRunnable(() -> core.install(key,
                        new AcceptorState(decision.ballot(), decision.ballot(), decision.value())))
                        .subscribeOn(blocking))
                .then();
    }

    private Mono<Void> becomeVoting() {
        return Mono.<Void>fromRunnable(() -> {
            core.store().markMember();
            status = Status.VOTING;
        }).subscribeOn(blocking);
    }

    /** The highest ballot this node has promised; its own proposer starts above it. */
    public Ballot maxBallot() {
        return core.maxBallot();
    }
}
