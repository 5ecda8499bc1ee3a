package dev.replog.master.replication;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps one secondary's log equal to the master's. It ships the entries after what it has sent
 * ({@code sentSeq + 1 ..}, which starts at, and after any refusal or failure falls back to, the
 * secondary's own watermark {@code ackedSeq}), with up to {@code maxInFlight} batches in flight, and
 * learns the new watermark from each answer; catch-up, retry and acknowledgement are this one loop.
 *
 * <p>Pipelining: batch k+1 is sent before batch k is answered (once at least a quarter of a full
 * batch waits: small requests go one at a time), its {@code prevSeq/prevId} naming
 * batch k's last entry, so the secondary's log-matching check still holds each batch to the
 * master's log. Requests travel on separate connections and may arrive out of order; a batch that
 * arrives before its predecessor is held aside by the secondary and answered once the gap is
 * filled (or refused, 409 gap, after the secondary's gap wait). Any refusal makes this replicator
 * resend from the watermark the secondary reported: duplicates are answered with the watermark, so
 * the worst case is redundant traffic, never a wrong count. The
 * answer to a batch vouches for the secondary's log only up to that batch's end. The number in
 * flight is bounded: two to four batches already cover one fsync and one round trip on the
 * secondary; more only adds memory, refused-and-resent work after a fault, and held-aside entries on
 * the secondary (a bounded buffer) without adding throughput.
 *
 * <p>Lingering: entries no writer waits on this secondary for ({@code w=1} writes) may wait up to
 * {@code linger} to go out together in one bigger batch, as a Kafka producer's {@code linger.ms}
 * does; every request costs both nodes CPU whatever it carries, and on shared cores that CPU is
 * the master's throughput. An entry a writer does wait on ({@link #wakeFor}), a quarter of a full
 * batch, or the end of the linger sends at once.
 *
 * <p>Failed deliveries are retried by the secondary's own Resilience4j {@link Retry} (exponential
 * backoff with jitter) while the node is not UNHEALTHY; an UNHEALTHY node is left alone until a
 * heartbeat answers, which {@link #onHeartbeat wakes} the loop at once.
 */
public final class Replicator {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);
    /** How long a HEALTHY secondary may lack durable entries with no append answered before it counts as stalled. */
    private static final Duration STALL_AFTER = Duration.ofSeconds(10);

    private final SecondaryNode node;
    private final MessageLog messages;
    private final AckTracker tracker;
    private final SecondaryClient client;
    /** The secondary's log as this master reads it (the search for the last shared entry). */
    private final SecondaryLog secondaryLog;
    private final Retry retry;
    private final NodeHealth health;
    private final MasterEpoch epoch;
    private final BatchLimits limits;
    private final Clock clock;
    private final Events events;
    private final long lingerNanos;

    private final int maxInFlight;
    private final Timer roundTrip;
    /** Batches building or awaiting an answer; guarded by {@code this}. */
    private int inFlight;
    /** The last seq sent (or being sent); guarded by {@code this}. */
    private long sentSeq;
    /** Whether a pump is scheduled or running (one at a time builds batches, off the event loop). */
    private final AtomicInteger pumpWip = new AtomicInteger();
    /** Append answers taken so far: a heartbeat sent before the latest one may predate it. */
    private final AtomicLong answers = new AtomicLong();
    /** The highest seq a writer waits on a secondary to hold: shipped without lingering. */
    private final AtomicLong awaitedSeq = new AtomicLong();
    /** Whether entries are held back (lingering), since {@code lingerSince}; guarded by {@code this}. */
    private boolean lingering;
    private long lingerSince;
    /** Whether a wake-up at the end of the linger is scheduled; guarded by {@code this}. */
    private boolean lingerWakeScheduled;
    private volatile long ackedSeq;
    private volatile boolean catchingUp;
    private volatile boolean fenced;
    /** An epoch above this master's that the secondary has accepted (0: none): a newer master exists. */
    private final AtomicLong newerEpoch = new AtomicLong();
    private volatile boolean needsTrim;
    private volatile ReplicationStatus lastStatus;
    /** Whether a search for the last entry this secondary shares with the master runs (nothing is shipped meanwhile). */
    private final AtomicBoolean searching = new AtomicBoolean();
    /** When an append was last answered or failed, or the secondary last held all (nanoTime): see {@link #checkStalled}. */
    private volatile long progressNanos = System.nanoTime();
    /** Whether the current stall was reported. */
    private volatile boolean stallReported;

    /** What a replicator tells the cluster: a health change, or that a newer master exists. */
    interface Events {
        void healthChanged();

        /** {@code by}'s secondary follows {@code newerEpoch}, above this master's. */
        void superseded(Replicator by, long newerEpoch);
    }

    Replicator(SecondaryNode node, MessageLog messages, AckTracker tracker, SecondaryClient client,
            SecondaryLog secondaryLog, Retry retry, NodeHealth health, MasterEpoch epoch, BatchLimits limits,
            Timer roundTrip, Clock clock, Events events) {
        this.node = node;
        this.messages = messages;
        this.tracker = tracker;
        this.client = client;
        this.secondaryLog = secondaryLog;
        this.retry = retry;
        this.health = health;
        this.epoch = epoch;
        this.limits = limits;
        this.maxInFlight = limits.maxInFlight();
        this.roundTrip = roundTrip;
        this.clock = clock;
        this.events = events;
        this.lingerNanos = limits.linger().toNanos();
    }

    public SecondaryNode node() {
        return node;
    }

    public long ackedSeq() {
        return ackedSeq;
    }

    public long lag() {
        return Math.max(0, messages.lastSeq() - ackedSeq);
    }

    public NodeHealth health() {
        return health;
    }

    /**
     * An epoch above this master's that the secondary has accepted, from a refused batch or a
     * heartbeat; 0 while none. Epochs are taken anew by every master start, so a higher one means
     * a newer master has taken over the cluster: this one must take no more writes.
     */
    public long newerEpoch() {
        return newerEpoch.get();
    }

    /** The status from the last answered heartbeat; null if it never answered. */
    public ReplicationStatus lastStatus() {
        return lastStatus;
    }

    /**
     * New entries were appended (or an answer freed a slot): ship them if the secondary can take
     * them. Cheap and non-blocking: one pump at a time builds batches, on the calling thread while
     * the entries are still in the master's memory (a replicator that keeps up), else on
     * boundedElastic, where it may read the segment files (catch-up).
     */
    public void wake() {
        if (pumpWip.getAndIncrement() == 0) {
            pump(1, true);
        }
    }

    /**
     * New entries were appended and a writer waits until this secondary (or enough others) holds
     * {@code seq}: ship everything up to it without lingering, then as {@link #wake}.
     */
    public void wakeFor(long seq) {
        awaitedSeq.accumulateAndGet(seq, Math::max);
        wake();
    }

    /**
     * Stops shipping (shutdown, or a newer master exists); answers to batches in flight still move
     * the watermark, which counts for nothing once the tracker is superseded.
     */
    void stop() {
        fenced = true;
    }

    /**
     * Sends batches while a slot is free and there is something to send (work-in-progress loop,
     * {@code missed} wake-ups taken). While {@code inMemoryOnly}, a batch that needs
     * the files hands the loop over to boundedElastic.
     */
    private void pump(int missed, boolean inMemoryOnly) {
        while (true) {
            try {
                while (sendNextBatch(inMemoryOnly)) {
                    // one more batch in flight
                }
            } catch (NotInMemory e) {
                int handed = missed;
                Schedulers.boundedElastic().schedule(() -> pump(handed, false));
                return;
            } catch (RuntimeException e) {
                log.warn("Building a batch for {} failed ({}); it is retried on the next wake-up", node.name(),
                        e.toString());
            }
            missed = pumpWip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Builds and sends one batch if a slot is free and there is work; false otherwise. */
    private boolean sendNextBatch(boolean inMemoryOnly) {
        long from;
        synchronized (this) {
            if (inFlight >= maxInFlight || !hasWork() || (inFlight > 0 && backlog() < pipelinedBatchEntries())
                    || lingers()) {
                return false;
            }
            from = Math.max(sentSeq, ackedSeq) + 1;
            inFlight++;
        }
        AppendRequest batch;
        try {
            batch = batchFrom(from, inMemoryOnly);
        } catch (RuntimeException e) {
            synchronized (this) {
                inFlight--;
            }
            throw e;
        }
        synchronized (this) {
            if (Math.max(sentSeq, ackedSeq) + 1 != from || fenced) {
                inFlight--; // a refusal moved the resume point meanwhile: build again from there
                return true;
            }
            sentSeq = Math.max(from - 1, batch.lastSeq());
            // Only a batch that goes out ends the linger: one handed to boundedElastic to be read from
            // the files (NotInMemory) must not start a new linger there, or each wake-up would hand it
            // over and linger again, and a lone entry nobody awaits would never be sent
            lingering = false;
        }
        long sent = System.nanoTime();
        Mono.just(batch)
                .flatMap(client::append)
                .transformDeferred(RetryOperator.of(retry))
                .subscribe(outcome -> onOutcome(new Delivery(batch, outcome), sent), this::onFailure);
        return true;
    }

    /**
     * A heartbeat is about to be sent: the mark to hand to {@link #onHeartbeat} with its answer,
     * which tells whether an append was answered in between.
     */
    long heartbeatSent() {
        return answers.get();
    }

    /**
     * A heartbeat sent at {@code mark} was answered: the node is HEALTHY. Its status moves the
     * resume point; it counts towards write concerns only when its last entry is the master's entry
     * at that seq (same id), which, with the log-matching check on every append, means its whole
     * prefix is the master's. A status that may predate an append answer taken meanwhile moves
     * nothing: the secondary wrote it before it applied that append, and the answer is the newer
     * word (else a busy secondary would look as if it had lost entries, and be sent them again).
     */
    void onHeartbeat(ReplicationStatus status, long mark) {
        NodeStatus before = health.answered(clock.instant());
        lastStatus = status;
        if (epoch.taken() && status.epoch() > epoch.value()) {
            superseded(status.epoch());
            return;
        }
        if (status.ackedSeq() > messages.lastSeq() && epoch.taken()) {
            if (!needsTrim) {
                log.warn("{} holds entries up to seq {} past this master's log (ends at {}): they will be rolled back",
                        node.name(), status.ackedSeq(), messages.lastSeq());
            }
            needsTrim = true;
        }
        boolean idle;
        synchronized (this) {
            idle = inFlight == 0 && answers.get() == mark && !searching.get();
        }
        // also when the tracker lags this replicator (answers to pipelined batches that raced): repaired here
        if (idle && (status.ackedSeq() != ackedSeq || tracker.watermark(node.index()) != ackedSeq)) {
            if (status.ackedSeq() < ackedSeq) {
                log.warn("{} reports ackedSeq {} below the {} it acknowledged before (restarted without its data?); "
                        + "resending from seq {}", node.name(), status.ackedSeq(), ackedSeq, status.ackedSeq() + 1);
                catchingUp = true;
            }
            resumeFrom(status);
        }
        synchronized (this) {
            if (inFlight == 0) {
                sentSeq = ackedSeq; // nothing in flight: the next batch starts at the watermark
            }
        }
        if (before != NodeStatus.HEALTHY) {
            long lag = lag();
            log.info("{} is HEALTHY again (was {}), ackedSeq={}, lag={}{}", node.name(), before, ackedSeq, lag,
                    lag > 0 ? ": catching up" : "");
            catchingUp = catchingUp || lag > 0;
            events.healthChanged();
        }
        checkStalled(status);
        wake();
    }

    /**
     * Recovery fenced the secondary and then read {@code fenced}, its state from then on (no other
     * master can append to it, and this one has shipped nothing yet), and has since brought this
     * master's log to where it leads from: resume from that state before shipping starts, as an idle
     * heartbeat's status would. Without it the replicator would start where the master's log ended
     * before recovery fetched what it lacked, and send every fetched entry to secondaries that
     * already hold them, ahead of the first new write (the whole log, for a standby that never led).
     */
    public void startFrom(ReplicationStatus fenced) {
        synchronized (this) {
            if (inFlight > 0 || searching.get()) {
                return; // shipping has begun: its answers are the newer word
            }
        }
        resumeFrom(fenced);
        synchronized (this) {
            if (inFlight == 0) {
                sentSeq = ackedSeq;
            }
        }
    }

    /**
     * Moves the resume point to a status the secondary reported while nothing was in flight: it
     * counts towards write concerns only when its last entry is the master's entry at that seq; an
     * entry of another master there starts the search for the last shared one.
     */
    private void resumeFrom(ReplicationStatus status) {
        if (holdsMastersEntry(status.ackedSeq(), status.lastId())) {
            confirm(status.ackedSeq());
        } else if (status.ackedSeq() > 0 && status.ackedSeq() <= messages.lastSeq()) {
            resumeAfter(status.ackedSeq());
            findLastSharedEntry(status.ackedSeq()); // another entry there: the logs diverge
        } else {
            resumeAfter(status.ackedSeq());
        }
    }

    /**
     * A HEALTHY secondary that lacks durable entries while no append has been answered or has
     * failed for {@link #STALL_AFTER} is stalled: every request has a timeout, so this replicator's
     * own state keeps it from shipping. Reported once per stall, with that state, for the operator
     * and for the node logs the cluster tests keep.
     */
    private void checkStalled(ReplicationStatus status) {
        long now = System.nanoTime();
        if (status.ackedSeq() >= messages.durableSeq() || !epoch.taken() || fenced) {
            progressNanos = now;
            stallReported = false;
            return;
        }
        if (!stallReported && now - progressNanos > STALL_AFTER.toNanos()) {
            stallReported = true;
            log.warn("Replication to {} is stalled: it holds seq {} of {} durable here and no append was answered for "
                    + "{} s; replicator state: {}", node.name(), status.ackedSeq(), messages.durableSeq(),
                    TimeUnit.NANOSECONDS.toSeconds(now - progressNanos), state());
        }
    }

    /** The replicator's shipping state, for logs. */
    private synchronized String state() {
        return "ackedSeq=" + ackedSeq + " sentSeq=" + sentSeq + " inFlight=" + inFlight + " pumpWip=" + pumpWip.get()
                + " searching=" + searching.get() + " lingering=" + lingering + " lingerWakeScheduled="
                + lingerWakeScheduled + " needsTrim=" + needsTrim + " catchingUp=" + catchingUp + " health="
                + health.status() + " tracker=" + tracker.watermark(node.index()) + " answers=" + answers.get();
    }

    /**
     * The secondary has accepted {@code newer}, an epoch above this master's: stop shipping to it
     * and tell the cluster (which stops every replicator and ends every wait), once.
     */
    private void superseded(long newer) {
        fenced = true;
        if (newerEpoch.compareAndSet(0, newer)) { // a heartbeat and an append answer may both bring it
            log.error("{} has accepted epoch {} from a newer master (this master has epoch {}): this master stops "
                    + "replicating and takes no more writes; restart it to take a new epoch and rejoin",
                    node.name(), newer, epoch.value());
            events.superseded(this, newer);
        }
    }

    /** A heartbeat went unanswered. */
    void onMissedHeartbeat(Throwable cause) {
        NodeStatus before = health.missed();
        NodeStatus now = health.status();
        if (now != before) {
            if (now == NodeStatus.UNHEALTHY) {
                log.warn("{} is UNHEALTHY after {} missed heartbeats ({}): replication to it paused until it answers",
                        node.name(), health.missedBeats(), cause.getMessage());
            } else {
                log.warn("{} is {} : missed a heartbeat ({})", node.name(), now, cause.getMessage());
            }
            events.healthChanged();
        }
    }

    /**
     * Whether to hold the unsent entries back a little longer: nobody waits on them, they are
     * fewer than a quarter of a full batch, and they have waited less than the linger. Schedules
     * the wake-up that sends them when the linger ends. Guarded by {@code this}.
     */
    private boolean lingers() {
        long sent = Math.max(sentSeq, ackedSeq);
        if (lingerNanos == 0 || backlog() <= 0 || backlog() >= pipelinedBatchEntries() || awaitedSeq.get() > sent) {
            return false;
        }
        long now = System.nanoTime();
        if (!lingering) {
            lingering = true;
            lingerSince = now;
        }
        long left = lingerSince + lingerNanos - now;
        if (left <= 0) {
            return false;
        }
        if (!lingerWakeScheduled) {
            lingerWakeScheduled = true;
            Schedulers.parallel().schedule(this::lingerEnded, left, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private void lingerEnded() {
        synchronized (this) {
            lingerWakeScheduled = false;
        }
        wake();
    }

    /** Entries durable here and not yet sent; guarded by {@code this}. */
    private long backlog() {
        return messages.durableSeq() - Math.max(sentSeq, ackedSeq);
    }

    /**
     * The fewest entries worth a second request while one is in flight: a quarter of a full batch.
     * Below that they wait for the answer and go out together in the next batch. Every request
     * costs both nodes CPU whatever it carries, and on shared cores small pipelined requests cost
     * more throughput than the round trip they hide (docs/decisions/0006-pipelined-replication.md); a backlog (catch-up,
     * bursts, a slow secondary) still fills every slot with large batches.
     */
    private int pipelinedBatchEntries() {
        return Math.max(1, limits.maxEntries() / 4);
    }

    /**
     * Only entries durable on the master are shipped: a secondary never holds an entry the master
     * could lose in a crash, so the master's own log stays a superset of every acknowledged write.
     * An empty batch (it asks the secondary to roll back entries past the master's log) goes alone.
     */
    private boolean hasWork() {
        return !fenced && !searching.get() && epoch.taken() && health.status() != NodeStatus.UNHEALTHY
                && (Math.max(sentSeq, ackedSeq) < messages.durableSeq() || (needsTrim && inFlight == 0));
    }

    /**
     * The entries from {@code from} on, as many as the limits allow, that are durable here: from
     * the master's memory, else (unless {@code inMemoryOnly}: {@link NotInMemory}) from the segment
     * files, off the event loop.
     */
    private AppendRequest batchFrom(long from, boolean inMemoryOnly) {
        long durable = messages.durableSeq();
        int count = (int) Math.max(0, Math.min(limits.maxEntries(), durable - from + 1));
        long prevSeq = from - 1;
        // In memory: entries this master appended, so in its epoch; the files also hold entries it
        // adopted in its recovery, each with the epoch that wrote it
        KeyedEntries held = messages.recentEntries(from, count);
        Entry prev = prevSeq == 0 ? null : messages.recentEntry(prevSeq);
        long prevId;
        if (held != null && (prevSeq == 0 || prev != null)) {
            prevId = prev == null ? 0 : prev.id();
        } else if (inMemoryOnly) {
            throw new NotInMemory();
        } else {
            // the byte limit bounds the read too: count entries of 1 MiB each would not fit the heap
            held = LogRecord.keyed(messages.store().readRecords(from, count, limits.maxBytes()));
            prevId = messages.store().idAt(prevSeq);
        }
        List<Entry> batch = new ArrayList<>(held.entries().size());
        long bytes = 0;
        for (Entry entry : held.entries()) {
            bytes += entry.message().length() * 3L;
            if (!batch.isEmpty() && bytes > limits.maxBytes()) {
                break;
            }
            batch.add(entry);
        }
        long lastSeq = prevSeq + batch.size();
        return new AppendRequest(epoch.value(), prevSeq, prevId, batch, Math.max(messages.lastSeq(), lastSeq),
                keysUpTo(held.keys(), lastSeq), olderEpochsUpTo(held.epochs(), lastSeq));
    }

    /** The entries up to {@code lastSeq} that an older epoch wrote, with that epoch. */
    private Map<Long, Long> olderEpochsUpTo(Map<Long, Long> epochs, long lastSeq) {
        if (epochs.isEmpty()) {
            return epochs;
        }
        long current = epoch.value();
        Map<Long, Long> older = new HashMap<>();
        epochs.forEach((seq, written) -> {
            if (seq <= lastSeq && written != current) {
                older.put(seq, written);
            }
        });
        return older;
    }

    /** The keys of the entries up to {@code lastSeq} (a batch cut short by its byte limit ships fewer). */
    private static Map<Long, String> keysUpTo(Map<Long, String> keys, long lastSeq) {
        if (keys.isEmpty()) {
            return keys;
        }
        Map<Long, String> shipped = new HashMap<>(keys);
        shipped.keySet().removeIf(seq -> seq > lastSeq);
        return shipped;
    }

    /** The next batch needs the segment files: build it where blocking is allowed. */
    private static final class NotInMemory extends RuntimeException {
        NotInMemory() {
            super("entries not in memory", null, false, false);
        }
    }

    private void onOutcome(Delivery delivery, long sentNanos) {
        progressNanos = System.nanoTime();
        roundTrip.record(System.nanoTime() - sentNanos, TimeUnit.NANOSECONDS);
        answers.incrementAndGet();
        AppendOutcome outcome = delivery.outcome();
        AppendRequest batch = delivery.batch();
        health.answered(clock.instant());
        long raised = -1;
        long lowered = -1;
        long newer = 0;
        long diverged = -1;
        synchronized (this) {
            inFlight--;
            if (outcome.accepted()) {
                // The batch matched the secondary's log up to its end; anything the secondary holds
                // past it is not vouched for by this batch (it may be left from an older master).
                long vouched = Math.min(outcome.ackedSeq(), batch.lastSeq());
                if (vouched > ackedSeq) {
                    ackedSeq = vouched;
                    raised = vouched;
                }
                needsTrim = outcome.ackedSeq() > messages.lastSeq();
                if (outcome.ackedSeq() < batch.lastSeq()) {
                    sentSeq = ackedSeq; // it did not keep all of it (rolled back meanwhile): resend
                }
            } else if (outcome.epoch() > epoch.value()) {
                newer = outcome.epoch();
            } else if (outcome.mismatch()) {
                diverged = batch.prevSeq();
            } else {
                lowered = Math.min(outcome.ackedSeq(), messages.lastSeq());
                ackedSeq = lowered;
                sentSeq = lowered;
                log.debug("{} refused the batch after seq {} ({}): resending from seq {}", node.name(),
                        batch.prevSeq(), outcome.reason(), lowered + 1);
            }
            if (catchingUp && ackedSeq >= messages.durableSeq()) {
                catchingUp = false;
                log.info("{} caught up at seq {}", node.name(), ackedSeq);
            }
        }
        if (newer > 0) {
            superseded(newer);
        }
        if (diverged >= 0) {
            findLastSharedEntry(diverged);
            return;
        }
        // Outside the lock: a watermark move completes write-concern waits, and their requests run on.
        if (raised >= 0) {
            tracker.secondaryAdvanced(node.index(), raised);
        }
        if (lowered >= 0) {
            // a refusal vouches for nothing: the count towards write concerns may only go down
            tracker.secondaryLowered(node.index(), lowered);
        }
        wake();
    }

    private void onFailure(Throwable error) {
        progressNanos = System.nanoTime();
        boolean first;
        synchronized (this) {
            inFlight--;
            first = !catchingUp;
            catchingUp = true;
            sentSeq = ackedSeq; // what was in flight may be lost: resend from the watermark
        }
        if (first) {
            log.warn("Replication to {} paused at ackedSeq={} after {} ({}); it resumes when a heartbeat answers",
                    node.name(), ackedSeq, error.getMessage(), health.status());
        }
    }

    /**
     * The secondary's log holds another entry than the master's at {@code differsAt}: find the last
     * entry the two logs share by binary search over single-entry reads (logs that agree at a seq
     * agree before it: every append checks the entry before it), so a long divergent tail, left by
     * an older master, costs a few dozen round trips instead of one per entry. Nothing is shipped
     * meanwhile; then shipping resumes after the shared entry, and the first batch rolls the rest
     * back on the secondary.
     */
    private void findLastSharedEntry(long differsAt) {
        if (!searching.compareAndSet(false, true)) {
            return; // pipelined batches refused alike: one search
        }
        log.info("{}'s log holds another entry than this master's at seq {}: searching for the last entry both hold",
                node.name(), differsAt);
        CommonPrefix.search(secondaryLog::holdsMastersEntryAt, 0, differsAt)
                .subscribe(shared -> {
                    synchronized (this) {
                        ackedSeq = shared;
                        sentSeq = shared;
                    }
                    answers.incrementAndGet(); // a heartbeat sent before this moves nothing
                    tracker.secondaryLowered(node.index(), shared);
                    log.info("{} shares this master's log up to seq {}: resending from seq {}, which rolls back the "
                            + "entries after it", node.name(), shared, shared + 1);
                    searching.set(false);
                    wake();
                }, error -> {
                    log.warn("Searching {}'s log failed ({}); resending from its watermark", node.name(),
                            error.getMessage());
                    synchronized (this) {
                        sentSeq = ackedSeq;
                    }
                    searching.set(false);
                    wake();
                });
    }

    /** Whether the secondary's entry at {@code seq} is the master's (same permanent id). */
    private boolean holdsMastersEntry(long seq, long id) {
        return seq <= messages.lastSeq() && messages.store().idAt(seq) == id;
    }

    /** The secondary holds the master's log up to {@code seq}: resume there and count it. */
    private void confirm(long seq) {
        ackedSeq = seq;
        tracker.secondaryAcked(node.index(), seq);
    }

    /**
     * Resume shipping after {@code seq} without vouching for the secondary's log up to there (a
     * refusal or an unverified status): its count towards write concerns may only go down.
     */
    private void resumeAfter(long seq) {
        long resume = Math.min(seq, messages.lastSeq());
        ackedSeq = resume;
        tracker.secondaryLowered(node.index(), resume);
    }

    /** One batch and the secondary's answer to it. */
    private record Delivery(AppendRequest batch, AppendOutcome outcome) {
    }

    /**
     * Batch limits: entries, (approximate, UTF-8 upper bound) message bytes, how long entries no
     * writer waits on may be held back for a bigger batch (zero: never), and how many batches may
     * be in flight at once.
     */
    record BatchLimits(int maxEntries, long maxBytes, Duration linger, int maxInFlight) {
    }
}
