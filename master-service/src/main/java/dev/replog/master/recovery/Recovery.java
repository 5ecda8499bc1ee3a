package dev.replog.master.recovery;

import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.web.LogQuery;
import dev.replog.master.cluster.RecoveryProgress;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.datadir.DataDirState;
import dev.replog.master.epoch.EpochSource;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.replication.ClusterMembers;
import dev.replog.master.replication.CommonPrefix;
import dev.replog.master.replication.NodeStatus;
import dev.replog.master.replication.Secondary;
import dev.replog.master.replication.SecondaryLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The master's start: RECOVERING until it has heard enough secondaries (through their heartbeats)
 * to know it holds every acknowledged entry, has taken a new epoch above every epoch seen, has
 * fenced them with it (from then on they refuse any older master, so the state they report next
 * holds everything one could have had acknowledged), and has fetched what it lacks from the
 * fenced secondary that has the most. Then the epoch becomes the master's: it replicates and
 * accepts writes.
 *
 * <p>Enough means a quorum, the master counted, when its data dir had state. A master that found
 * no state (new, or its disk was lost) cannot vouch for anything, so it waits for every secondary
 * — or for a quorum of nodes that all have no history at all, which is a new cluster — and takes
 * the most advanced secondary's log. So does a master whose data dir took no epoch as high as one
 * a secondary follows, or whose new epoch from the sync cluster does not follow the one it took
 * last: another master has led since, and its log is no longer the cluster's.
 */
@Component
public class Recovery implements SmartLifecycle, RecoveryProgress {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    /** Entries per read of a secondary's log: the most one read may ask for, as few round trips as it allows. */
    private static final int PAGE = LogQuery.MAX_LIMIT;

    private final ClusterMembers members;
    private final MessageLog messages;
    private final EpochSource epochs;
    private final MasterEpoch epoch;
    private final DataDirState dataDir;
    private final Duration interval;
    private volatile Disposable running;
    private volatile String lastWait = "waiting to hear from the secondaries";
    /** Fence failures logged so far (each once). */
    private final Set<String> fenceFailures = ConcurrentHashMap.newKeySet();
    /** The epoch taken to fence the secondaries with; 0 until the first attempt took one. */
    private volatile long fencingEpoch;
    /**
     * The sync cluster handed out epochs to someone else since this data dir last took one (or, for
     * a data dir that took none, before): other masters have started, so the cluster is not new.
     */
    private volatile boolean epochsTakenElsewhere;
    /**
     * The highest epoch the data dir had taken when this master started. A master without state
     * whose data dir took one already is not in a new cluster either: an earlier start took it
     * (and may have seen the gap that said so, which the epoch it recorded then hides).
     */
    private final long takenAtStart;
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);
    private String lastFailureKind = "";
    private long lastFailureWarned;

    public Recovery(ClusterMembers members, MessageLog messages, EpochSource epochs, MasterEpoch epoch,
            DataDirState dataDir, MasterProperties properties) {
        this.members = members;
        this.messages = messages;
        this.epochs = epochs;
        this.epoch = epoch;
        this.dataDir = dataDir;
        this.interval = properties.heartbeat().interval();
        this.takenAtStart = dataDir.takenEpoch();
    }

    /**
     * A check that this master may still take an epoch now: with the lease, that it still holds
     * it (an error otherwise, and the attempt is retried or the master steps down).
     */
    @FunctionalInterface
    public interface LeaseCheck {
        /** No lease (no sync cluster): this master is the only one. */
        LeaseCheck NONE = () -> Mono.empty();

        Mono<Void> confirm();
    }

    private volatile LeaseCheck leaseCheck = LeaseCheck.NONE;
    private volatile Runnable onLeading = () -> { };

    /** Started by {@code Leadership} once this instance should lead, never by the context itself. */
    @Override
    public boolean isAutoStartup() {
        return false;
    }

    /**
     * Recovers and then leads: {@code leaseCheck} confirms before each new epoch is taken that this
     * instance still should lead; {@code onLeading} runs once the epoch is this master's and writes
     * are taken.
     */
    public void begin(LeaseCheck leaseCheck, Runnable onLeading) {
        this.leaseCheck = leaseCheck;
        this.onLeading = onLeading;
        start();
    }

    @Override
    public void start() {
        log.info("RECOVERING: log at seq {}; waiting to hear from the secondaries", messages.lastSeq());
        running = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> attempt()
                        .onErrorResume(error -> {
                            lastWait = "the last recovery attempt failed: " + error.getMessage();
                            logFailure(error);
                            return Mono.just(false);
                        }), 0)
                .takeUntil(done -> done)
                .subscribe();
    }

    /** Warns on a new kind of failure and then every 30 s while it lasts (attempts run every heartbeat). */
    private void logFailure(Throwable error) {
        long now = System.nanoTime();
        String kind = error.getClass().getName();
        if (!kind.equals(lastFailureKind) || now - lastFailureWarned >= FAILURE_LOG_INTERVAL.toNanos()) {
            log.warn("Recovery attempt failed, retrying every {}: {}", interval, error.toString());
            lastFailureKind = kind;
            lastFailureWarned = now;
        } else {
            log.debug("Recovery attempt failed, retrying: {}", error.toString());
        }
    }

    /**
     * One try: true once recovery is complete. With the secondaries heard from (heartbeats) enough
     * to recover, takes an epoch above every epoch they report, fences them with it (they refuse an
     * older master from then on) and recovers from the state they report after that: nothing an
     * older master still running could have had acknowledged escapes it.
     */
    private Mono<Boolean> attempt() {
        List<Secondary> answering = members.secondaries().stream()
                .filter(s -> s.replicator().lastStatus() != null && s.health().status() != NodeStatus.UNHEALTHY)
                .toList();
        List<ReplicationStatus> heard = answering.stream().map(s -> s.replicator().lastStatus()).toList();
        long highestEpoch = heard.stream().mapToLong(ReplicationStatus::epoch).max().orElse(0);
        Mono<Void> checked = dataDir.hadState() && highestEpoch > dataDir.takenEpoch()
                ? Mono.fromRunnable(() -> distrustLog(followedBy(heard, highestEpoch) + " follows epoch " + highestEpoch
                        + ", above epoch " + dataDir.takenEpoch() + " that this master last took"))
                        .subscribeOn(Schedulers.boundedElastic()).then()
                : Mono.empty();
        return checked.then(Mono.defer(() -> {
            if (!enoughToRecover(heard, heard, "heard")) {
                return Mono.just(false);
            }
            return epochAbove(highestEpoch).flatMap(taken -> fence(answering, taken).flatMap(fenced -> {
                List<ReplicationStatus> after = fenced.stream().map(Fenced::status).toList();
                // the shortcut of a new cluster only if no secondary heard had history either: one
                // that has may just have failed its fence
                List<ReplicationStatus> seen = new ArrayList<>(heard);
                seen.addAll(after);
                if (!enoughToRecover(after, seen, "fenced")) {
                    return Mono.just(false);
                }
                long highestId = seen.stream().mapToLong(ReplicationStatus::lastId).max().orElse(0);
                return recoverFrom(fenced, highestId, taken).thenReturn(true);
            }));
        }));
    }

    /**
     * Another master has led since this data dir last took an epoch ({@code evidence} says how this
     * master knows), and may have had writes acknowledged that this log lacks, while entries of this
     * log it never saw are not the cluster's. The log is no longer this master's own state.
     */
    private void distrustLog(String evidence) {
        log.warn("{}: another master has led since. This master recovers as one without state: it waits for every "
                + "secondary and takes the log of the most advanced, dropping entries of its own where that log "
                + "holds others", evidence);
        dataDir.distrust();
    }

    private static String followedBy(List<ReplicationStatus> heard, long epoch) {
        return heard.stream().filter(status -> status.epoch() == epoch).map(ReplicationStatus::name)
                .findFirst().orElse("a secondary");
    }

    /**
     * The epoch this recovery fences with: the one it took before while no secondary reports a
     * higher one (an attempt that fails does not burn an epoch per heartbeat; a secondary that
     * reports it was fenced by an earlier attempt, as epochs are never handed out twice), else a
     * new one.
     */
    private Mono<Long> epochAbove(long highestEpoch) {
        long candidate = fencingEpoch;
        if (candidate > 0 && candidate >= highestEpoch) {
            return Mono.just(candidate);
        }
        // With the sync cluster: while it is unreachable this fails and the master stays
        // RECOVERING, trying again next tick.
        return leaseCheck.confirm().then(Mono.defer(() -> {
                    long lastTaken = dataDir.takenEpoch();
                    return epochs.takeNewEpoch(highestEpoch, lastTaken).flatMap(taken -> Mono.fromRunnable(() -> {
                        if (taken.othersTookSome()) {
                            epochsTakenElsewhere = true;
                        }
                        if (taken.othersTookSome() && dataDir.hadState()) {
                            // Before the epoch is recorded: a restart in between sees the same gap again
                            distrustLog("The sync cluster handed out epochs between epoch " + lastTaken
                                    + " that this master last took and epoch " + taken.epoch() + " to someone else");
                        }
                        // recorded before any secondary follows it: a restart must not take it for another master's
                        dataDir.tookEpoch(taken.epoch());
                    }).subscribeOn(Schedulers.boundedElastic()).thenReturn(taken.epoch()));
                }))
                .doOnNext(taken -> {
                    fencingEpoch = taken;
                    log.info("Took epoch {}; fencing the secondaries with it before reading their logs", taken);
                });
    }

    /** Fences these secondaries; those that took the epoch, with their state after. */
    private Mono<List<Fenced>> fence(List<Secondary> answering, long taken) {
        return Flux.fromIterable(answering)
                .flatMap(secondary -> secondary.log().fence(taken)
                        .map(status -> new Fenced(secondary, status))
                        .onErrorResume(error -> {
                            String failure = secondary.name() + " (" + error.getMessage() + ")";
                            // once per failure: attempts run every heartbeat
                            if (fenceFailures.add(failure)) {
                                log.info("Could not fence {} with epoch {}; it does not count until it takes it",
                                        failure, taken);
                            }
                            return Mono.empty();
                        }))
                .collectList();
    }

    /**
     * Raft's up-to-date rule: the log whose last entry a newer epoch wrote is the more up to date,
     * and of two whose last entries one epoch wrote, the longer. Never the longest alone: an older
     * master's long suffix that a newer master never saw (it was fenced first) is not acknowledged
     * at a quorum, while the newer master's shorter log may hold writes it acknowledged
     * (docs/decisions/0009-up-to-date-rule.md).
     */
    static final Comparator<ReplicationStatus> UP_TO_DATE = Comparator
            .comparingLong(ReplicationStatus::lastEpoch)
            .thenComparingLong(ReplicationStatus::ackedSeq);

    /**
     * Records written before every record carried the epoch that wrote it may say epoch 0: a log
     * whose last entry says 0 cannot be placed by the rule, and then the longest log is taken, as it
     * was for those logs.
     */
    static final Comparator<ReplicationStatus> LONGEST = Comparator.comparingLong(ReplicationStatus::ackedSeq);

    /** {@link #UP_TO_DATE}, unless a candidate's last entry has no known epoch ({@link #LONGEST}). */
    static Comparator<ReplicationStatus> ordering(List<ReplicationStatus> candidates) {
        boolean unknownEpoch = candidates.stream().anyMatch(status -> status.ackedSeq() > 0 && status.lastEpoch() == 0);
        return unknownEpoch ? LONGEST : UP_TO_DATE;
    }

    /** With the fenced secondaries' state: fetch what this master lacks, then take the epoch and lead. */
    private Mono<Void> recoverFrom(List<Fenced> fenced, long highestId, long taken) {
        Comparator<Fenced> upToDate = Comparator.comparing(Fenced::status,
                ordering(fenced.stream().map(Fenced::status).toList()));
        Mono<Void> fetched = dataDir.hadState()
                ? fetchFromFirstMatching(fenced.stream().filter(f -> f.status().ackedSeq() > messages.lastSeq())
                        .sorted(upToDate.reversed()).toList())
                : fenced.stream().max(upToDate).map(this::adoptLogOf).orElse(Mono.empty()); // n=1: nothing to adopt
        return fetched
                .then(messages.advanceIdsPast(highestId))
                // With the sync cluster: the first two id ranges (retried next tick while unreachable)
                .then(messages.prepareIds())
                // Before READ_WRITE: from now on the log is this master's own state (file I/O)
                .then(Mono.fromRunnable(dataDir::recovered).subscribeOn(Schedulers.boundedElastic()))
                .then(Mono.fromRunnable(() -> {
                    // each replicator starts from what its secondary reported once fenced, not from
                    // where this log ended before the fetch: no fetched entry is shipped back to a
                    // secondary that holds it
                    fenced.forEach(f -> f.secondary().replicator().startFrom(f.status()));
                    epoch.take(taken);
                    log.info("Recovery done: epoch {}, log at seq {} (fenced {} of {} secondaries); READ_WRITE",
                            taken, messages.lastSeq(), fenced.size(), members.size());
                    members.startShipping();
                    onLeading.run();
                }));
    }

    /**
     * Whether these secondaries' statuses ({@code how}: "heard" or "fenced") are enough to recover
     * from; a master without state may take a quorum only when the cluster is new: none of the
     * statuses {@code seen} in this attempt has history, its own log is empty, its data dir had
     * taken no epoch when it started, and the sync cluster (when there is one) has handed no epoch
     * to another master. A secondary of a new cluster may
     * already follow this recovery's epoch (an earlier attempt fenced it) and still has no history.
     */
    private boolean enoughToRecover(List<ReplicationStatus> statuses, List<ReplicationStatus> seen, String how) {
        long fencedWith = fencingEpoch;
        int secondaries = members.size();
        int quorum = (secondaries + 1) / 2 + 1;
        boolean enough;
        if (dataDir.hadState()) {
            enough = 1 + statuses.size() >= quorum;
        } else {
            boolean noHistory = !epochsTakenElsewhere && takenAtStart == 0 && messages.lastSeq() == 0 && seen.stream()
                    .allMatch(status -> status.ackedSeq() == 0 && (status.epoch() == 0 || status.epoch() == fencedWith));
            enough = statuses.size() == secondaries || (1 + statuses.size() >= quorum && noHistory);
        }
        if (!enough) {
            String wait = how + " " + statuses.size() + " of " + secondaries
                    + " secondaries; need " + (dataDir.hadState() ? "a quorum of " + quorum + " nodes"
                            : "every secondary (this master has no state of its own)");
            if (!wait.equals(lastWait)) {
                log.info("Still RECOVERING: {}", wait);
                lastWait = wait;
            }
        }
        return enough;
    }

    /** Fetches the entries this master lacks from the most advanced secondary whose log continues its own. */
    private Mono<Void> fetchFromFirstMatching(List<Fenced> ahead) {
        if (ahead.isEmpty()) {
            return Mono.empty();
        }
        Fenced source = ahead.get(0);
        return fetchFrom(source).flatMap(appended -> {
            if (appended) {
                return Mono.<Void>empty();
            }
            log.warn("{}'s log does not continue this master's at seq {}; trying the next", source.secondary().name(),
                    messages.lastSeq());
            return fetchFromFirstMatching(ahead.subList(1, ahead.size()));
        });
    }

    /**
     * A master without state of its own (none, or another master has led since) takes the log of
     * the most advanced secondary: it keeps the prefix its log shares with that one and fetches the
     * rest. Every secondary was fenced (or the cluster is new), so that log holds every
     * acknowledged entry, and no secondary holds one past its end. Where this master's log holds
     * other entries than that one, they were never acknowledged by a quorum and are dropped; where
     * that log is a prefix of this master's, the entries past it conflict with none and are kept
     * (written with {@code w=1}, or not yet replicated; no secondary holds them now).
     */
    private Mono<Void> adoptLogOf(Fenced source) {
        String name = source.secondary().name();
        long sourceEnd = source.status().ackedSeq();
        return commonPrefix(source)
                .flatMap(common -> common == sourceEnd ? Mono.just(common)
                        : messages.truncateAfter(common).thenReturn(common))
                .filter(common -> source.status().ackedSeq() > common) // else it holds nothing more
                .flatMap(common -> fetchFrom(source))
                .flatMap(appended -> appended ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException(name + "'s log changed during recovery")));
    }

    /**
     * The last seq at which this master's log and the secondary's hold the same entry (0: none), by
     * binary search over single-entry reads ({@link CommonPrefix}).
     */
    private Mono<Long> commonPrefix(Fenced source) {
        long highest = Math.min(messages.lastSeq(), source.status().ackedSeq());
        if (highest == 0) {
            return Mono.just(0L);
        }
        SecondaryLog log = source.secondary().log();
        return log.holdsMastersEntryAt(highest)
                .flatMap(same -> same ? Mono.just(highest) : CommonPrefix.search(log::holdsMastersEntryAt, 0, highest));
    }

    /** A secondary that took this recovery's epoch, and its state right after. */
    private record Fenced(Secondary secondary, ReplicationStatus status) {
    }

    /**
     * Appends the secondary's entries after this master's last one, up to the end it reported once
     * fenced, with their idempotency keys and epochs, page by page as they are read: a log of large
     * messages need not fit in this master's memory. Each page is read from the seq after the last
     * one the page before held, since a page ends at its byte budget however many entries
     * {@code limit} allows. True once every entry up to that end is appended; false, with nothing
     * appended, when the secondary's entry at this master's last seq is another (the logs diverge).
     * Entries that do not follow on without a gap, or a read that ends before that end, fail the
     * attempt (it is retried, and continues from what was appended): adopting a log cut short would
     * roll back entries the secondaries hold, acknowledged ones among them.
     */
    private Mono<Boolean> fetchFrom(Fenced source) {
        long last = messages.lastSeq();
        long target = source.status().ackedSeq();
        if (target <= last) {
            return Mono.just(true);
        }
        SecondaryLog secondaryLog = source.secondary().log();
        String name = source.secondary().name();
        long firstToRead = Math.max(1, last);
        AtomicLong next = new AtomicLong(last + 1);
        log.info("Fetching entries {}..{} this master lacks from {}", last + 1, target, name);
        return secondaryLog.read(firstToRead, PAGE).flatMap(first -> {
            if (last > 0 && (first.entries().isEmpty() || first.entries().get(0).seq() != last
                    || first.entries().get(0).id() != messages.lastId())) {
                return Mono.just(false);
            }
            return Flux.just(first)
                    .expand(page -> page.entries().isEmpty() || lastSeqOf(page) >= target ? Mono.empty()
                            : secondaryLog.read(lastSeqOf(page) + 1, PAGE))
                    .concatMap(page -> appendPage(name, page, next, target), 1)
                    .then(Mono.defer(() -> next.get() == target + 1 ? Mono.just(true)
                            : Mono.error(new IllegalStateException(name + "'s log ended at seq " + (next.get() - 1)
                                    + " where it reported " + target + ": its log changed during recovery"))))
                    .doOnNext(done -> log.info("Fetched entries {}..{} from {}", last + 1, target, name));
        });
    }

    /**
     * Appends the entries of {@code page} from seq {@code next} up to {@code target} (this master's
     * own last entry, read to check that the logs continue, is skipped) and moves {@code next}
     * past them; an error if they do not run from {@code next} without a gap.
     */
    private Mono<Void> appendPage(String name, KeyedEntries page, AtomicLong next, long target) {
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : page.entries()) {
            long expected = next.get() + entries.size();
            if (entry.seq() < next.get() || expected > target) {
                continue;
            }
            if (entry.seq() != expected) {
                return Mono.error(new IllegalStateException(name + " answered " + describe(page.entries())
                        + " where seq " + next.get() + ".." + target + " was read: its log changed during recovery"));
            }
            entries.add(entry);
        }
        if (entries.isEmpty()) {
            return Mono.empty();
        }
        next.addAndGet(entries.size());
        return messages.appendRecovered(new KeyedEntries(entries, page.keys(), page.epochs())).then();
    }

    private static long lastSeqOf(KeyedEntries page) {
        return page.entries().get(page.entries().size() - 1).seq();
    }

    private static String describe(List<Entry> entries) {
        return entries.isEmpty() ? "nothing"
                : "seq " + entries.get(0).seq() + ".." + entries.get(entries.size() - 1).seq() + " (" + entries.size()
                        + " entries)";
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable current = running;
        return current != null && !current.isDisposed();
    }

    /**
     * For {@code /health} and 503 bodies: what recovery waits for, e.g. {@code fenced 1 of 2
     * secondaries; need every secondary (this master has no state of its own)}, or why its last attempt failed.
     */
    @Override
    public String waitingFor() {
        return lastWait;
    }
}
