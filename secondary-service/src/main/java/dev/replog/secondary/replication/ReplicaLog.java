package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.RejectReason.GAP;
import static dev.replog.secondary.replication.RejectReason.MISMATCH;
import static dev.replog.secondary.replication.RejectReason.STALE_EPOCH;

import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.log.LogStoreFailedException;
import dev.replog.common.log.LogWriteException;
import dev.replog.common.log.WriterThread;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.text.Utf8;
import dev.replog.common.web.PayloadTooLargeException;
import dev.replog.secondary.config.SecondaryProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The secondary's side of replication: applies the master's append batches to the {@link LogStore}
 * so that it always holds a contiguous, deduplicated prefix of the master's log.
 *
 * <p>For a batch {@code {epoch, prevSeq, prevId, entries}}:
 * <ol>
 *   <li>an epoch lower than the one followed is refused ({@link RejectReason#STALE_EPOCH}); a higher
 *       one is adopted and entries held aside for the older epoch are forgotten;</li>
 *   <li>a batch starting past the end of the log is kept aside, unseen, and answered once the
 *       batches before it (in flight alongside it from the pipelining master, on other connections)
 *       have filled the gap and it is applied; after {@code gapWait} without that, or if it is
 *       dropped, it is refused ({@link RejectReason#GAP}) so the master resends from the watermark;</li>
 *   <li>a batch whose previous entry is not the one the master names is refused
 *       ({@link RejectReason#MISMATCH}) with a watermark just before that entry;</li>
 *   <li>otherwise entries the log already holds are skipped as duplicates, an entry that differs
 *       from the log's (left by an older master) rolls the log back from there, the rest is
 *       appended, and held-aside batches that now continue the log are applied;</li>
 *   <li>when the batch names the end of the master's log ({@code masterLastSeq}), entries the log
 *       holds past it, left by an older master, are rolled back (an empty batch is how the master
 *       asks for just that).</li>
 * </ol>
 * Every answer carries {@code ackedSeq}: the end of the contiguous, durable prefix. A duplicate
 * batch is not an error: it is answered with the watermark.
 *
 * <p>The highest epoch accepted is durable ({@link EpochFile}, written before any answer to the
 * batch that raised it) and so is the log, so a restarted node refuses the masters it refused
 * before and reports the watermark it really holds. A node that starts without its epoch file (new,
 * or its data dir was lost) and has an {@link EpochFloor} takes no append, a fence included, until
 * it has learned the newest epoch any master took: a master fenced before the loss must not win it
 * back. Each stored record carries the epoch of the master that wrote the entry (the batch's, or
 * the older one the batch names for an entry its master adopted), so the status's
 * {@code lastEpoch} tells how up to date this log is.
 *
 * <p>Batches are applied by one writer at a time (a race here loses or doubles entries): every
 * decision and store call runs on the single {@code replica-writer} thread, under one lock (which
 * only {@link #status} also takes). Store calls do I/O (a write, its fsync, a truncation), so they
 * never run on an event-loop thread. The writer leads the group fsync of what it wrote (see
 * {@link dev.replog.common.log.FileLogStore}), and the answer is sent from the thread that
 * completed the write: the writer, or the gap wait's timer for a batch held aside.
 */
@Component
class ReplicaLog implements AutoCloseable, ReplicaEpoch {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLog.class);

    private static final long WRITER_STOP_SECONDS = 10;
    private static final Duration FLOOR_RETRY = Duration.ofSeconds(1);

    private final LogStore store;
    private final ReplicaMetrics metrics;
    private final EpochFile epochFile;
    private final EpochFloor floor;
    private final long maxMessageBytes;
    private final Duration gapWait;
    private final Object lock = new Object();
    /** The one thread that applies batches (store writes block, so not an event-loop thread). */
    private final WriterThread writerThread;
    private final Scheduler writer;

    /** Guarded by {@link #lock}. */
    private final PendingBatches pending;
    /** The latest store write; guarded by {@link #lock}. Its completion makes every earlier write durable. */
    private CompletableFuture<Long> lastWrite;
    /**
     * The highest master epoch accepted, durable in {@link #epochFile} before it is set; written
     * under {@link #lock}, read anywhere.
     */
    private volatile long epoch;
    /**
     * What this node waits for before it takes any append (the newest epoch, after it lost its
     * epoch file), null once it takes appends; set once, cleared on the writer thread.
     */
    private volatile String waitingFor;
    private final Disposable learning;

    @Autowired
    ReplicaLog(LogStore store, ReplicaMetrics metrics, SecondaryProperties properties, EpochFloor floor) {
        this(store, metrics, new EpochFile(properties.dataDir().resolve("epoch")), floor,
                properties.replication().maxPending(), properties.maxMessageBytes().toBytes(),
                properties.replication().gapWait());
    }

    ReplicaLog(LogStore store, ReplicaMetrics metrics, EpochFile epochFile, int maxPending, long maxMessageBytes,
            Duration gapWait) {
        this(store, metrics, epochFile, EpochFloor.NONE, maxPending, maxMessageBytes, gapWait);
    }

    ReplicaLog(LogStore store, ReplicaMetrics metrics, EpochFile epochFile, EpochFloor floor, int maxPending,
            long maxMessageBytes, Duration gapWait) {
        this.store = store;
        this.metrics = metrics;
        this.epochFile = epochFile;
        this.floor = floor;
        this.maxMessageBytes = maxMessageBytes;
        this.gapWait = gapWait;
        this.pending = new PendingBatches(maxPending);
        this.lastWrite = CompletableFuture.completedFuture(store.durableSeq());
        // Without its epoch file and with a floor to learn, nothing is written to the file before the
        // floor is: a restart in between must find the file still missing and ask again
        boolean learnsFloor = !epochFile.exists() && floor.configured();
        this.epoch = recoverEpoch(!learnsFloor);
        // handing a batch over must not block the event loop that received it: a lock-free queue
        this.writerThread = new WriterThread("replica-writer");
        this.writer = Schedulers.fromExecutor(writerThread);
        log.info("Replica log: ackedSeq={} (id {}), epoch {}", store.durableSeq(), store.idAt(store.durableSeq()),
                epoch);
        this.learning = learnsFloor ? learnNewestEpoch() : Disposables.disposed();
    }

    /**
     * Without its epoch file, asks the floor source for the newest epoch (every second until it
     * answers) and takes no append meanwhile; then stores it durably and takes appends from that
     * epoch on.
     */
    private Disposable learnNewestEpoch() {
        waitingFor = "the newest epoch from " + floor.describe();
        log.warn("No epoch file at {}: this node is new or lost its data. It takes no append before it has learned "
                + "{}", epochFile.path(), waitingFor);
        // storing it is retried too: a node that cannot store it must not stay refusing appends for good
        return Mono.defer(floor::newestEpoch)
                .flatMap(newest -> Mono.fromRunnable(() -> takeFloor(newest)).subscribeOn(writer))
                .doOnError(error -> log.warn("Could not learn the newest epoch yet ({}); trying again every {}s",
                        error.getMessage(), FLOOR_RETRY.toSeconds()))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, FLOOR_RETRY))
                .subscribe(null, error -> log.error("Gave up learning the newest epoch", error));
    }

    /** On the writer: the newest epoch is known; from now on appends of older epochs are refused. */
    private void takeFloor(long newest) {
        synchronized (lock) {
            long floorEpoch = Math.max(newest, epoch);
            epochFile.write(floorEpoch);
            epoch = floorEpoch;
            waitingFor = null;
            log.info("Learned the newest epoch {} from {}: following epoch {}; appends of older epochs are refused",
                    newest, floor.describe(), floorEpoch);
        }
    }

    /**
     * The epoch file's value, or the epoch of the log's last record if that is higher (it cannot
     * be, as the file is written first, unless the file was removed): a restart never lowers it.
     * Stored back to the file only when {@code store}: a node that learns its floor first writes
     * the file once, with the floor.
     */
    private long recoverEpoch(boolean store) {
        long stored = epochFile.read();
        long last = this.store.lastSeq();
        long logged = last == 0 ? 0 : this.store.readRecords(last, 1).get(0).epoch();
        if (logged > stored) {
            log.warn("The epoch file {} holds epoch {} but the log holds entries of epoch {}: following epoch {}",
                    epochFile.path(), stored, logged, logged);
            if (store) {
                epochFile.write(logged);
            }
            return logged;
        }
        return stored;
    }

    /**
     * Applies one batch from the master.
     *
     * @return the watermark once every entry of the log up to the batch is durable; or an error:
     *         {@link AppendRejectedException} (409: stale epoch, gap, mismatch; nothing visible
     *         changed) or {@link PayloadTooLargeException} (413: a message over the limit)
     */
    public Mono<AppendResponse> append(AppendRequest request) {
        return Mono.defer(() -> {
                    requireMessagesWithinLimit(request); // no state: checked on the caller's thread
                    // the one writer thread: store calls block, and running them one at a time
                    // there serialises the batches in arrival order
                    return Mono.fromCallable(() -> apply(request)).subscribeOn(writer);
                })
                // suppressCancel: the write is shared by every request waiting on it, and a caller
                // that goes away (or a held batch's wait that ends) must not cancel it for the others
                .flatMap(written -> written.held()
                        ? Mono.fromFuture(written.durable(), true).timeout(gapWait, Schedulers.parallel())
                                .onErrorMap(error -> error instanceof TimeoutException
                                        || error instanceof PendingBatches.Dropped, error -> gap(request))
                        : Mono.fromFuture(written.durable(), true))
                // the freshest watermark (later writes may have become durable meanwhile), answered on
                // the thread that completed the write (the writer, which leads its group fsync): the
                // small answer costs less there than a hop to another pool, a thread wake-up per batch
                // on the round trip every w >= 2 write waits for
                .map(durable -> new AppendResponse(store.durableSeq(), epoch));
    }

    /**
     * This node's state for the master's heartbeat; {@code lastId} is the id at {@code ackedSeq}.
     * Reads the store (and may wait for the writer's lock): call it off the event loop.
     */
    public ReplicationStatus status(String nodeName) {
        synchronized (lock) {
            long acked = store.durableSeq();
            if (acked == 0) {
                return new ReplicationStatus(nodeName, 0, 0, epoch, 0, waitingFor);
            }
            LogRecord last = store.readRecords(acked, 1).get(0);
            return new ReplicationStatus(nodeName, acked, last.id(), epoch, last.epoch(), waitingFor);
        }
    }

    /** What this node waits for before it takes any append; null once it takes them. */
    public String waitingFor() {
        return waitingFor;
    }

    /** The end of the contiguous, durable prefix. */
    public long ackedSeq() {
        return store.durableSeq();
    }

    /** The highest master epoch accepted (0 before the first append). */
    @Override
    public long epoch() {
        return epoch;
    }

    /** Stops the writer thread once the batches it has started are applied. */
    @Override
    public void close() {
        learning.dispose();
        // no interrupt: a store write must not be cut short
        if (!writerThread.close(WRITER_STOP_SECONDS, TimeUnit.SECONDS)) {
            log.warn("The replica writer did not finish within {}s", WRITER_STOP_SECONDS);
        }
        writer.dispose();
    }

    /** What an append waits on: a store write, or a held-aside batch being applied (bounded by gapWait). */
    private record Written(CompletableFuture<Long> durable, boolean held) {
    }

    private Written apply(AppendRequest request) {
        synchronized (lock) {
            followEpoch(request.epoch());
            long lastSeq = store.lastSeq();
            if (request.prevSeq() > lastSeq) {
                if (request.entries().isEmpty()) {
                    throw gap(request);
                }
                CompletableFuture<Long> applied = holdAside(request, lastSeq);
                if (gapWait.isZero()) {
                    throw gap(request);
                }
                return new Written(applied, true);
            }
            if (!continuesAt(request.prevSeq(), request.prevId())) {
                long resumeAfter = Math.min(request.prevSeq() - 1, store.durableSeq());
                log.info("refused entries after seq {}: the log holds id {} there, the master id {} (epoch {})",
                        request.prevSeq(), store.idAt(request.prevSeq()), request.prevId(), request.epoch());
                throw reject(MISMATCH, resumeAfter, "the entry at seq " + request.prevSeq()
                        + " is not id " + request.prevId() + "; resend from seq " + (resumeAfter + 1));
            }
            applyContinuing(request, true);
            Long masterLastSeq = request.masterLastSeq();
            // Held-aside batches are all of this epoch (an epoch change forgets the others), so they
            // are in this master's log, which only grows while it runs: a masterLastSeq below them
            // only means this batch was built before them (pipelined batches overtake each other).
            drainPending(lastSeq);
            if (masterLastSeq != null) {
                rollBackPast(masterLastSeq, request.epoch());
            }
            return new Written(lastWrite, false);
        }
    }

    /** The refusal of a batch past the log's end: the master resends from the watermark. */
    private AppendRejectedException gap(AppendRequest request) {
        long acked = store.durableSeq();
        return reject(GAP, acked, "the batch follows seq " + request.prevSeq() + " but the log ends at seq "
                + store.lastSeq() + "; resend from seq " + (acked + 1));
    }

    private void followEpoch(long requested) {
        String waiting = waitingFor;
        if (waiting != null) {
            throw new EpochUnknownException(waiting);
        }
        if (requested < epoch) {
            log.info("refused a batch from epoch {}: this node follows epoch {}", requested, epoch);
            throw reject(STALE_EPOCH, store.durableSeq(),
                    "epoch " + requested + " is older than epoch " + epoch + " that this node follows");
        }
        if (requested > epoch) {
            // durable before anything is answered: a restart must not accept the older master again
            try {
                epochFile.write(requested);
            } catch (LogWriteException refused) {
                log.error("could not store epoch {} ({}): nothing of the batch was appended; the master sends it "
                        + "again", requested, refused.reason());
                throw refused;
            }
            // held-aside entries came from an older master whose log the new one may not share
            long dropped = pending.clear("epoch " + requested + " replaced epoch " + epoch);
            metrics.pendingEntries(0);
            log.info("following epoch {} (was {}){}", requested, epoch,
                    dropped > 0 ? "; forgot " + dropped + " held-aside entries of the older epoch" : "");
            epoch = requested;
        }
    }

    private boolean continuesAt(long prevSeq, long prevId) {
        return prevSeq == 0 || store.idAt(prevSeq) == prevId;
    }

    /** Keeps a non-empty batch aside; returns what completes once it is applied and durable. */
    private CompletableFuture<Long> holdAside(AppendRequest batch, long lastSeq) {
        // debug: with pipelining a batch that overtakes its predecessor is routine, not news
        log.debug("holding entries {}..{} aside until seq {} arrives", batch.prevSeq() + 1, batch.lastSeq(),
                lastSeq + 1);
        CompletableFuture<Long> applied = pending.hold(batch);
        metrics.pendingEntries(pending.entries());
        return applied;
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
            List<LogRecord> records = new ArrayList<>(fresh.size());
            for (Entry entry : fresh) {
                records.add(LogRecord.of(entry, batch.epochAt(entry.seq()), batch.keyAt(entry.seq())));
            }
            long started = System.nanoTime();
            try {
                lastWrite = store.appendRecords(records);
            } catch (LogWriteException refused) {
                log.error("could not store entries {}..{} ({}): {}; the master sends them again", fresh.get(0).seq(),
                        fresh.get(fresh.size() - 1).seq(), refused.reason(), refused instanceof LogStoreFailedException
                                ? "the log store failed, restart this node" : "nothing of them was appended");
                throw refused;
            }
            metrics.appended(fresh.size(), System.nanoTime() - started);
            // debug: one line per batch is a measurable cost at thousands of batches a second
            log.debug("appended seq {}..{} from epoch {}, ackedSeq={}",
                    fresh.get(0).seq(), fresh.get(fresh.size() - 1).seq(), batch.epoch(), store.lastSeq());
        }
        return true;
    }

    private void rollBack(long fromSeq, long lastSeq, long byEpoch) {
        truncateAfter(fromSeq - 1);
        metrics.rolledBack(lastSeq - fromSeq + 1);
        log.info("rolled back entries {}..{} not in the master's log (epoch {})", fromSeq, lastSeq, byEpoch);
    }

    private void truncateAfter(long seq) {
        store.truncateAfter(seq);
        // writes still pending past seq fail; every entry up to seq is durable now
        lastWrite = CompletableFuture.completedFuture(store.durableSeq());
    }

    /**
     * Rolls back the entries past the end of the master's log. Entries shipped by this very master
     * (its epoch) are in its log, which only grows while it runs: when the log ends with one,
     * {@code masterLastSeq} is stale (a delayed request overtaken by a later one) and is ignored,
     * or an acknowledged entry could be lost.
     */
    private void rollBackPast(long masterLastSeq, long byEpoch) {
        long lastSeq = store.lastSeq();
        if (lastSeq <= masterLastSeq) {
            return;
        }
        long lastEpoch = store.readRecords(lastSeq, 1).get(0).epoch();
        if (lastEpoch >= byEpoch) {
            // debug: with pipelined batches overtaking each other this is routine, many times a second
            log.debug("kept entries {}..{} past the master's last seq {}: epoch {} shipped them, so the batch "
                    + "was overtaken by a later one", masterLastSeq + 1, lastSeq, masterLastSeq, lastEpoch);
            return;
        }
        truncateAfter(masterLastSeq);
        metrics.rolledBack(lastSeq - masterLastSeq);
        log.warn("rolled back entries {}..{} past the master's last seq {} (epoch {})", masterLastSeq + 1, lastSeq,
                masterLastSeq, byEpoch);
    }

    private void drainPending(long lastSeqBefore) {
        boolean filled = false;
        Optional<PendingBatches.Held> next;
        while ((next = pending.takeContinuing(store.lastSeq())).isPresent()) {
            AppendRequest batch = next.get().batch();
            CompletableFuture<Long> applied = next.get().applied();
            if (continuesAt(batch.prevSeq(), batch.prevId()) && applyContinuing(batch, false)) {
                filled = true;
                lastWrite.whenComplete((durable, error) -> {
                    if (error == null) {
                        applied.complete(durable);
                    } else {
                        applied.completeExceptionally(error);
                    }
                });
            } else {
                log.info("dropped held-aside entries {}..{}: they do not continue the log",
                        batch.prevSeq() + 1, batch.lastSeq());
                applied.completeExceptionally(new PendingBatches.Dropped("they do not continue the log"));
            }
        }
        metrics.pendingEntries(pending.entries());
        if (filled) {
            log.debug("gap filled: seq {} arrived, ackedSeq {} -> {}", lastSeqBefore + 1, lastSeqBefore, store.lastSeq());
        }
    }

    private AppendRejectedException reject(RejectReason reason, long ackedSeq, String detail) {
        metrics.rejected(reason);
        return new AppendRejectedException(reason, ackedSeq, epoch, detail);
    }

    private void requireMessagesWithinLimit(AppendRequest request) {
        for (Entry entry : request.entries()) {
            if (Utf8.longerThan(entry.message(), maxMessageBytes)) {
                throw new PayloadTooLargeException("the message at seq " + entry.seq() + " is over "
                        + maxMessageBytes + " bytes (replog.max-message-bytes)");
            }
        }
    }
}
