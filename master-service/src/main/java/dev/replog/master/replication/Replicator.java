package dev.replog.master.replication;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.log.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps one secondary's log equal to the master's. It always ships the entries after the
 * secondary's own watermark ({@code ackedSeq + 1 ..}), one batch in flight at a time, and learns
 * the new watermark from the answer; catch-up, retry and acknowledgement are this one loop.
 *
 * <p>Failed deliveries are retried by the secondary's own Resilience4j {@link Retry} (exponential
 * backoff with jitter) while the node is not UNHEALTHY; an UNHEALTHY node is left alone until a
 * heartbeat answers, which {@link #onHeartbeat wakes} the loop at once.
 */
public final class Replicator {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);

    private final SecondaryNode node;
    private final MessageLog messages;
    private final AckTracker tracker;
    private final SecondaryClient client;
    private final Retry retry;
    private final NodeHealth health;
    private final MasterEpoch epoch;
    private final BatchLimits limits;
    private final Clock clock;
    private final Runnable onHealthChange;

    private final AtomicBoolean shipping = new AtomicBoolean();
    private volatile long ackedSeq;
    private volatile boolean catchingUp;
    private volatile boolean fenced;
    private volatile boolean needsTrim;
    private volatile ReplicationStatus lastStatus;
    private volatile Disposable inFlight;

    Replicator(SecondaryNode node, MessageLog messages, AckTracker tracker, SecondaryClient client, Retry retry,
            NodeHealth health, MasterEpoch epoch, BatchLimits limits, Clock clock, Runnable onHealthChange) {
        this.node = node;
        this.messages = messages;
        this.tracker = tracker;
        this.client = client;
        this.retry = retry;
        this.health = health;
        this.epoch = epoch;
        this.limits = limits;
        this.clock = clock;
        this.onHealthChange = onHealthChange;
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

    /** The status from the last answered heartbeat; null if it never answered. */
    public ReplicationStatus lastStatus() {
        return lastStatus;
    }

    /** Reads the secondary's log from {@code fromSeq} (recovery fetches what the master lacks). */
    public Mono<List<Entry>> readLog(long fromSeq, int limit) {
        return client.read(fromSeq, limit);
    }

    /** New entries were appended: ship them if the secondary can take them. */
    public void wake() {
        while (hasWork() && shipping.compareAndSet(false, true)) {
            if (hasWork()) {
                inFlight = deliverNextBatch().subscribe(this::onOutcome, this::onFailure);
                return;
            }
            shipping.set(false);
        }
    }

    /** Stops shipping (shutdown). */
    void stop() {
        fenced = true;
        Disposable current = inFlight;
        if (current != null) {
            current.dispose();
        }
    }

    /**
     * A heartbeat was answered: the node is HEALTHY. Its status moves the resume point; it counts
     * towards write concerns only when its last entry is the master's entry at that seq (same id),
     * which, with the log-matching check on every append, means its whole prefix is the master's.
     */
    void onHeartbeat(ReplicationStatus status) {
        NodeStatus before = health.answered(clock.instant());
        lastStatus = status;
        if (status.ackedSeq() > messages.lastSeq() && epoch.taken()) {
            if (!needsTrim) {
                log.warn("{} holds entries up to seq {} past this master's log (ends at {}): they will be rolled back",
                        node.name(), status.ackedSeq(), messages.lastSeq());
            }
            needsTrim = true;
        }
        if (!shipping.get() && status.ackedSeq() != ackedSeq) {
            if (status.ackedSeq() < ackedSeq) {
                log.warn("{} reports ackedSeq {} below the {} it acknowledged before (restarted without its data?); "
                        + "resending from seq {}", node.name(), status.ackedSeq(), ackedSeq, status.ackedSeq() + 1);
                catchingUp = true;
            }
            if (holdsMastersEntry(status.ackedSeq(), status.lastId())) {
                confirm(status.ackedSeq());
            } else {
                resumeAfter(status.ackedSeq());
            }
        }
        if (before != NodeStatus.HEALTHY) {
            long lag = lag();
            log.info("{} is HEALTHY again (was {}), ackedSeq={}, lag={}{}", node.name(), before, ackedSeq, lag,
                    lag > 0 ? ": catching up" : "");
            catchingUp = catchingUp || lag > 0;
            onHealthChange.run();
        }
        wake();
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
            onHealthChange.run();
        }
    }

    /**
     * Only entries durable on the master are shipped: a secondary never holds an entry the master
     * could lose in a crash, so the master's own log stays a superset of every acknowledged write.
     */
    private boolean hasWork() {
        return !fenced && epoch.taken() && health.status() != NodeStatus.UNHEALTHY
                && (ackedSeq < messages.durableSeq() || needsTrim);
    }

    /**
     * Ships the entries after the watermark; each retry re-reads them, new entries included. The
     * batch is read from the segment files, so off the event loop that delivers the answers.
     */
    private Mono<Delivery> deliverNextBatch() {
        return Mono.fromCallable(this::nextBatch)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(batch -> client.append(batch).map(outcome -> new Delivery(batch, outcome)))
                .transformDeferred(RetryOperator.of(retry));
    }

    /** The entries after the secondary's watermark, as many as the limits allow. */
    private AppendRequest nextBatch() {
        long from = ackedSeq + 1;
        long durable = messages.durableSeq();
        int count = (int) Math.max(0, Math.min(limits.maxEntries(), durable - ackedSeq));
        List<Entry> entries = messages.store().read(from, count);
        List<Entry> batch = new ArrayList<>(entries.size());
        long bytes = 0;
        for (Entry entry : entries) {
            bytes += entry.message().length() * 3L;
            if (!batch.isEmpty() && bytes > limits.maxBytes()) {
                break;
            }
            batch.add(entry);
        }
        long prevSeq = from - 1;
        return new AppendRequest(epoch.value(), prevSeq, messages.store().idAt(prevSeq), batch,
                Math.max(messages.lastSeq(), prevSeq + batch.size()));
    }

    private void onOutcome(Delivery delivery) {
        AppendOutcome outcome = delivery.outcome();
        health.answered(clock.instant());
        long before = ackedSeq;
        if (outcome.accepted()) {
            // The batch matched the secondary's log up to its end; anything the secondary holds
            // past it is not vouched for by this batch (it may be left from an older master).
            confirm(Math.min(outcome.ackedSeq(), delivery.batch().lastSeq()));
            needsTrim = outcome.ackedSeq() > messages.lastSeq();
            log.info("Replicated seq {}..{} to {} (ackedSeq={})", before + 1, ackedSeq, node.name(), ackedSeq);
        } else if (outcome.epoch() > epoch.value()) {
            fenced = true;
            log.error("{} refused our epoch {}: it has seen epoch {} from a newer master. This master stops "
                    + "replicating to it.", node.name(), epoch.value(), outcome.epoch());
        } else {
            resumeAfter(outcome.ackedSeq());
            log.info("{} refused the batch after seq {} ({}): resending from seq {}", node.name(),
                    delivery.batch().prevSeq(), outcome.reason(), ackedSeq + 1);
        }
        if (catchingUp && ackedSeq >= messages.durableSeq()) {
            catchingUp = false;
            log.info("{} caught up at seq {}", node.name(), ackedSeq);
        }
        shipping.set(false);
        wake();
    }

    private void onFailure(Throwable error) {
        log.warn("Replication to {} paused at ackedSeq={} after {} ({}); it resumes when a heartbeat answers",
                node.name(), ackedSeq, error.getMessage(), health.status());
        catchingUp = true;
        shipping.set(false);
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
        tracker.secondaryAcked(node.index(), Math.min(resume, tracker.watermark(node.index())));
    }

    /** One batch and the secondary's answer to it. */
    private record Delivery(AppendRequest batch, AppendOutcome outcome) {
    }

    /** Batch size limits: entries and (approximate, UTF-8 upper bound) message bytes. */
    record BatchLimits(int maxEntries, long maxBytes) {
    }
}
