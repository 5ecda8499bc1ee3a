package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.RejectReason.GAP;
import static dev.replog.secondary.replication.RejectReason.MISMATCH;
import static dev.replog.secondary.replication.RejectReason.STALE_EPOCH;

import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.web.PayloadTooLargeException;
import dev.replog.secondary.config.SecondaryProperties;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The secondary's side of replication: applies the master's append batches to the {@link LogStore}
 * so that it always holds a contiguous, deduplicated prefix of the master's log.
 *
 * <p>For a batch {@code {epoch, prevSeq, prevId, entries}}:
 * <ol>
 *   <li>an epoch lower than the one followed is refused ({@link RejectReason#STALE_EPOCH}); a higher
 *       one is adopted and entries held aside for the older epoch are forgotten;</li>
 *   <li>a batch starting past the end of the log is kept aside, unseen, and refused
 *       ({@link RejectReason#GAP}) so the master resends from the watermark;</li>
 *   <li>a batch whose previous entry is not the one the master names is refused
 *       ({@link RejectReason#MISMATCH}) with a watermark just before that entry;</li>
 *   <li>otherwise entries the log already holds are skipped as duplicates, an entry that differs
 *       from the log's (left by an older master) rolls the log back from there, the rest is
 *       appended, and held-aside batches that now continue the log are applied.</li>
 * </ol>
 * Every answer carries {@code ackedSeq}: the end of the contiguous, durable prefix. A duplicate
 * batch is not an error: it is answered with the watermark.
 *
 * <p>Batches are applied by one writer at a time (a race here loses or doubles entries): every
 * decision and store call happens under one lock. The critical sections are short and in memory;
 * waiting for durability happens outside the lock, without blocking.
 */
@Component
class ReplicaLog {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLog.class);

    private final LogStore store;
    private final ReplicaMetrics metrics;
    private final long maxMessageBytes;
    private final Object lock = new Object();

    /** Guarded by {@link #lock}. */
    private final PendingBatches pending;
    /** The latest store write; guarded by {@link #lock}. Its completion makes every earlier write durable. */
    private CompletableFuture<Long> lastWrite;
    /** The highest master epoch accepted; written under {@link #lock}, read anywhere. */
    private volatile long epoch;

    @Autowired
    ReplicaLog(LogStore store, ReplicaMetrics metrics, SecondaryProperties properties) {
        this(store, metrics, properties.replication().maxPending(), properties.maxMessageBytes().toBytes());
    }

    ReplicaLog(LogStore store, ReplicaMetrics metrics, int maxPending, long maxMessageBytes) {
        this.store = store;
        this.metrics = metrics;
        this.maxMessageBytes = maxMessageBytes;
        this.pending = new PendingBatches(maxPending);
        this.lastWrite = CompletableFuture.completedFuture(store.durableSeq());
    }

    /**
     * Applies one batch from the master.
     *
     * @return the watermark once every entry of the log up to the batch is durable; or an error:
     *         {@link AppendRejectedException} (409: stale epoch, gap, mismatch; nothing visible
     *         changed) or {@link PayloadTooLargeException} (413: a message over the limit)
     */
    public Mono<AppendResponse> append(AppendRequest request) {
        return Mono.fromCallable(() -> apply(request))
                // suppressCancel: the write is shared by every request waiting on it, and a caller
                // that goes away must not cancel it for the others
                .flatMap(written -> Mono.fromFuture(written, true))
                // the freshest watermark: later writes may have become durable meanwhile
                .map(durable -> new AppendResponse(store.durableSeq(), epoch));
    }

    /** This node's state for the master's heartbeat; {@code lastId} is the id at {@code ackedSeq}. */
    public ReplicationStatus status(String nodeName) {
        synchronized (lock) {
            long acked = store.durableSeq();
            return new ReplicationStatus(nodeName, acked, store.idAt(acked), epoch);
        }
    }

    /** The end of the contiguous, durable prefix. */
    public long ackedSeq() {
        return store.durableSeq();
    }

    /** The highest master epoch accepted (0 before the first append). */
    public long epoch() {
        return epoch;
    }

    private CompletableFuture<Long> apply(AppendRequest request) {
        requireMessagesWithinLimit(request);
        synchronized (lock) {
            followEpoch(request.epoch());
            long lastSeq = store.lastSeq();
            if (request.prevSeq() > lastSeq) {
                holdAside(request, lastSeq);
                throw reject(GAP, store.durableSeq(), "the batch follows seq " + request.prevSeq()
                        + " but the log ends at seq " + lastSeq + "; resend from seq " + (lastSeq + 1));
            }
            if (!continuesAt(request.prevSeq(), request.prevId())) {
                long resumeAfter = Math.min(request.prevSeq() - 1, store.durableSeq());
                log.info("refused entries after seq {}: the log holds id {} there, the master id {} (epoch {})",
                        request.prevSeq(), store.idAt(request.prevSeq()), request.prevId(), request.epoch());
                throw reject(MISMATCH, resumeAfter, "the entry at seq " + request.prevSeq()
                        + " is not id " + request.prevId() + "; resend from seq " + (resumeAfter + 1));
            }
            applyContinuing(request, true);
            drainPending(lastSeq);
            return lastWrite;
        }
    }

    private void followEpoch(long requested) {
        if (requested < epoch) {
            log.info("refused a batch from epoch {}: this node follows epoch {}", requested, epoch);
            throw reject(STALE_EPOCH, store.durableSeq(),
                    "epoch " + requested + " is older than epoch " + epoch + " that this node follows");
        }
        if (requested > epoch) {
            // held-aside entries came from an older master whose log the new one may not share
            long dropped = pending.clear();
            metrics.pendingEntries(0);
            log.info("following epoch {} (was {}){}", requested, epoch,
                    dropped > 0 ? "; forgot " + dropped + " held-aside entries of the older epoch" : "");
            epoch = requested;
        }
    }

    private boolean continuesAt(long prevSeq, long prevId) {
        return prevSeq == 0 || store.idAt(prevSeq) == prevId;
    }

    private void holdAside(AppendRequest batch, long lastSeq) {
        if (batch.entries().isEmpty()) {
            return;
        }
        log.info("holding entries {}..{} aside until seq {} arrives", batch.prevSeq() + 1, batch.lastSeq(), lastSeq + 1);
        pending.hold(batch);
        metrics.pendingEntries(pending.entries());
    }

    /**
     * Applies a batch whose previous entry matches the log. An entry that differs from the log's
     * rolls the log back when the batch comes from the master; a held-aside batch never overrides
     * the log (it is dropped instead, returning false).
     */
    private boolean applyContinuing(AppendRequest batch, boolean fromMaster) {
        List<Entry> entries = batch.entries();
        long lastSeq = store.lastSeq();
        int known = 0;
        while (known < entries.size() && entries.get(known).seq() <= lastSeq
                && store.idAt(entries.get(known).seq()) == entries.get(known).id()) {
            known++;
        }
        if (known < entries.size() && entries.get(known).seq() <= lastSeq) {
            if (!fromMaster) {
                return false;
            }
            rollBack(entries.get(known).seq(), lastSeq, batch.epoch());
        }
        if (known > 0) {
            metrics.duplicates(known);
            log.info("deduplicated {} entries seq {}..{}", known, entries.get(0).seq(), entries.get(known - 1).seq());
        }
        List<Entry> fresh = entries.subList(known, entries.size());
        if (!fresh.isEmpty()) {
            lastWrite = store.append(fresh);
            metrics.appended(fresh.size());
            log.info("appended seq {}..{} from epoch {}, ackedSeq={}",
                    fresh.get(0).seq(), fresh.get(fresh.size() - 1).seq(), batch.epoch(), store.lastSeq());
        }
        return true;
    }

    private void rollBack(long fromSeq, long lastSeq, long byEpoch) {
        store.truncateAfter(fromSeq - 1);
        metrics.rolledBack(lastSeq - fromSeq + 1);
        log.info("rolled back entries {}..{} not in the master's log (epoch {})", fromSeq, lastSeq, byEpoch);
    }

    private void drainPending(long lastSeqBefore) {
        boolean filled = false;
        Optional<AppendRequest> next;
        while ((next = pending.takeContinuing(store.lastSeq())).isPresent()) {
            AppendRequest batch = next.get();
            if (continuesAt(batch.prevSeq(), batch.prevId()) && applyContinuing(batch, false)) {
                filled = true;
            } else {
                log.info("dropped held-aside entries {}..{}: they do not continue the log",
                        batch.prevSeq() + 1, batch.lastSeq());
            }
        }
        metrics.pendingEntries(pending.entries());
        if (filled) {
            log.info("gap filled: seq {} arrived, ackedSeq {} -> {}", lastSeqBefore + 1, lastSeqBefore, store.lastSeq());
        }
    }

    private AppendRejectedException reject(RejectReason reason, long ackedSeq, String detail) {
        metrics.rejected(reason);
        return new AppendRejectedException(reason, ackedSeq, epoch, detail);
    }

    private void requireMessagesWithinLimit(AppendRequest request) {
        for (Entry entry : request.entries()) {
            if (utf8LongerThan(entry.message(), maxMessageBytes)) {
                throw new PayloadTooLargeException("the message at seq " + entry.seq() + " is over "
                        + maxMessageBytes + " bytes (replog.max-message-bytes)");
            }
        }
    }

    /** Whether {@code text} takes more than {@code limit} bytes in UTF-8, counting no further than needed. */
    static boolean utf8LongerThan(String text, long limit) {
        if (text.length() * 3L <= limit) {
            return false; // at most 3 bytes per UTF-16 unit
        }
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4; // a surrogate pair is one 4-byte code point
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > limit;
    }
}
