package dev.replog.master.log;

import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.ids.IdSource;
import dev.replog.master.ids.IdsUnavailableException;

import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.web.LogQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The master's log: the one place that gives each message its {@code seq} and permanent id.
 *
 * <p>Appends run on one dedicated writer thread (file writes and id reservations are I/O and must
 * not run on an event loop), so they are serialized without a lock. Requests queue up in a
 * lock-free queue; each turn of the writer drains every request waiting and writes them with one
 * store write (group commit), in queue order, each request's messages contiguous. Durability is
 * awaited outside the writer, where one group fsync covers every write made meanwhile. Recent
 * idempotency keys are remembered, and reloaded from the log at start, so a retried request finds
 * its entries even after a restart.
 */
public final class MessageLog {

    private static final Logger log = LoggerFactory.getLogger(MessageLog.class);

    /** Most entries in one store write: bounds the time the requests behind a turn wait for it. */
    static final int MAX_GROUP_ENTRIES = 10_000;
    /** Most message characters in one store write (the store writes a group as one buffer). */
    static final long MAX_GROUP_CHARS = 16L * 1024 * 1024;
    /**
     * Entries kept in memory for the replicators: several full batches per secondary, few enough
     * (at load, seconds' worth at most) that they die young instead of filling the old generation.
     */
    static final int RECENT_ENTRIES = 8192;
    /** The most message chars the ring holds: all of it for messages up to 2 KiB, a few dozen of 1 MiB. */
    static final long RECENT_CHARS = 16L << 20;

    private final LogStore store;
    private final IdSource ids;
    private final MasterEpoch epoch;
    private final Scheduler writer;
    /** Writer thread only (and the constructor). */
    private final RememberedKeys recentKeys;
    /** Told of every durable seq and truncation, in the order they were added (see {@link #addDurabilityListener}). */
    private final List<DurabilityListener> listeners = new CopyOnWriteArrayList<>();
    private final RecentEntries recent = new RecentEntries(RECENT_ENTRIES, RECENT_CHARS);
    private final Queue<AppendTask> queue = new ConcurrentLinkedQueue<>();
    /** Requests submitted but not yet taken by a writer turn; a turn is scheduled on 0 -> 1. */
    private final AtomicInteger wip = new AtomicInteger();
    private volatile GroupObserver observer = GroupObserver.NONE;

    /**
     * @param writer            the single thread every append runs on
     * @param rememberedEntries the idempotency keys of the writes holding this many last entries are
     *                          remembered (a retry of an older write appends again)
     */
    public MessageLog(LogStore store, IdSource ids, MasterEpoch epoch, Scheduler writer, int rememberedEntries) {
        this.store = store;
        this.ids = ids;
        this.epoch = epoch;
        this.writer = writer;
        this.recentKeys = new RememberedKeys(rememberedEntries);
        reloadKeys(rememberedEntries);
    }

    /**
     * Adds a listener of the one fact this log alone announces: "durable up to seq N" (and "cut
     * after seq N"). Listeners are told in the order they were added, each at once of the durable
     * seq now (the master's order: {@code DurabilityListeners}).
     */
    public void addDurabilityListener(DurabilityListener listener) {
        listeners.add(listener);
        listener.durableUpTo(store.durableSeq());
    }

    private void durableUpTo(long seq) {
        for (DurabilityListener listener : listeners) {
            listener.durableUpTo(seq);
        }
    }

    /** Told the size and duration of each group write (for metrics). */
    public void observeGroups(GroupObserver observer) {
        this.observer = observer;
    }

    /**
     * Appends {@code message}, or finds the entry appended earlier under the same
     * {@code idempotencyKey}. Completes once the entry is durable on this node; errors with
     * {@link IdsUnavailableException} when no permanent id became available within the bound.
     */
    public Mono<Appended> append(String message, String idempotencyKey) {
        return appendAll(List.of(message), idempotencyKey)
                .map(batch -> new Appended(batch.first(), batch.replay()));
    }

    /**
     * Appends {@code messages} as consecutive entries (all or none), or finds the entries appended
     * earlier under the same {@code idempotencyKey} (the same messages; else
     * {@link IdempotencyConflictException}). Completes once the entries are durable on this node;
     * errors with {@link IdsUnavailableException} when no permanent ids became available within the
     * bound (nothing appended; ids taken for it are a gap).
     */
    public Mono<AppendedBatch> appendAll(List<String> messages, String idempotencyKey) {
        if (messages.isEmpty()) {
            return Mono.error(new IllegalArgumentException("nothing to append"));
        }
        // the fingerprint a retry is told from another write by, made here, off the writer thread
        byte[] fingerprint = idempotencyKey == null ? null : RememberedKeys.fingerprint(messages);
        Mono<Pending> onWriter = Mono.create(sink -> submit(new AppendTask(messages, idempotencyKey, fingerprint, sink)));
        // No id in hand (the prefetched ranges are spent): wait, without blocking, until the id
        // source has one again, up to its bound, then try again; a second miss waits once more.
        return onWriter
                .onErrorResume(MessageLog::waitForIds, error -> ids.awaitAvailable().then(onWriter))
                .onErrorResume(MessageLog::waitForIds, error -> ids.awaitAvailable().then(onWriter))
                .flatMap(pending -> pending.durable == null
                        ? Mono.just(pending.appended)
                        // suppressCancel: a client that goes away must not cancel the shared write
                        : Mono.fromFuture(pending.durable, true).thenReturn(pending.appended));
    }

    private static boolean waitForIds(Throwable error) {
        return error instanceof IdsUnavailableException ids && ids.retryable();
    }

    /** Gets the id source ready for writes (for the sync cluster: fetches the first two id ranges). */
    public Mono<Void> prepareIds() {
        return ids.prepare();
    }

    /** Where ids come from ({@code local} or {@code sync}) and how many are in hand. */
    public IdSource ids() {
        return ids;
    }

    /**
     * Appends entries fetched from a secondary during recovery, keeping their seq, id, idempotency
     * keys and the epoch that wrote each (0 where the secondary did not say), and remembers those
     * keys as a restart would have.
     */
    public Mono<Long> appendRecovered(KeyedEntries fetched) {
        return Mono.fromCallable(() -> {
                    List<LogRecord> records = fetched.entries().stream()
                            .map(entry -> LogRecord.of(entry, fetched.epochAt(entry.seq(), 0L),
                                    fetched.keys().get(entry.seq())))
                            .toList();
                    KeyRuns runs = new KeyRuns();
                    // a write whose first records this log kept and whose rest it fetched is one write
                    runs.startWithTheLastRun();
                    CompletableFuture<Long> durable = store.appendRecords(records);
                    records.forEach(runs::add);
                    runs.end();
                    recentKeys.slideTo(store.lastSeq());
                    log.debug("Recovered {} entries with {} idempotency keys", records.size(), runs.found);
                    return durable;
                })
                .subscribeOn(writer)
                .flatMap(durable -> Mono.fromFuture(durable, true))
                .doOnNext(this::durableUpTo);
    }

    /**
     * Recovery only, before any write is taken: drops the entries after {@code seq}, which a newer
     * master's log does not hold, with their remembered idempotency keys (a retry appends again),
     * and tells the listener: a seq past {@code seq} counts again only once it is durable anew.
     */
    public Mono<Void> truncateAfter(long seq) {
        return Mono.<Void>fromRunnable(() -> {
            long last = store.lastSeq();
            if (seq >= last) {
                return;
            }
            store.truncateAfter(seq);
            listeners.forEach(listener -> listener.truncatedAfter(seq));
            recent.clear();
            recentKeys.forgetAfter(seq);
            log.warn("Dropped entries {}..{} from this master's log: the cluster's log does not hold them", seq + 1,
                    last);
        }).subscribeOn(writer);
    }

    /** Makes every later id greater than {@code id} and than every id in the log. */
    public Mono<Void> advanceIdsPast(long id) {
        return Mono.<Void>fromRunnable(() -> ids.advancePast(Math.max(id, lastId()))).subscribeOn(writer);
    }

    private void submit(AppendTask task) {
        queue.add(task);
        if (wip.getAndIncrement() == 0) {
            try {
                writer.schedule(this::drain);
            } catch (RuntimeException rejected) { // the writer is disposed: shutting down
                for (AppendTask t = queue.poll(); t != null; t = queue.poll()) {
                    t.sink.error(rejected);
                }
            }
        }
    }

    /** One writer turn: writes groups until no request is waiting (the usual work-in-progress loop). */
    private void drain() {
        int missed = 1;
        while (true) {
            while (!queue.isEmpty()) {
                writeGroup();
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /**
     * Takes waiting requests in queue order, gives their messages seqs and ids, and writes them all
     * with one store write. A request that fails (no ids, key conflict) appends nothing and does not
     * hold up the others; a failed store write fails the whole group and remembers none of its keys.
     * A retry whose key an earlier request of the same group carries is answered with that request's
     * entries only once their store write succeeded, and fails with it: the seqs of a failed write
     * are given to the next group's messages, so answering the retry earlier could confirm them.
     */
    private void writeGroup() {
        long started = System.nanoTime();
        List<AppendTask> group = new ArrayList<>();
        List<List<Entry>> groupEntries = new ArrayList<>();
        List<LogRecord> records = new ArrayList<>();
        Map<String, List<Entry>> newKeys = new HashMap<>();
        // Retries of a request in this same group: they share its store write's fate
        List<Replay> sameGroupReplays = new ArrayList<>();
        long nextSeq = store.lastSeq() + 1;
        long chars = 0;
        AppendTask task;
        while (records.size() < MAX_GROUP_ENTRIES && chars < MAX_GROUP_CHARS && (task = queue.poll()) != null) {
            try {
                String key = task.idempotencyKey;
                List<Entry> inGroup = key == null ? null : newKeys.get(key);
                if (inGroup != null) {
                    if (!sameMessages(inGroup, task.messages)) {
                        throw new IdempotencyConflictException(inGroup.get(0).seq());
                    }
                    sameGroupReplays.add(new Replay(task, inGroup));
                    continue;
                }
                RememberedKeys.Write known = key == null ? null : recentKeys.get(key);
                if (known != null) {
                    if (!known.sameMessages(task.fingerprint)) {
                        throw new IdempotencyConflictException(known.first());
                    }
                    task.sink.success(new Pending(new AppendedBatch(known.entries(task.messages), true), null));
                    continue;
                }
                List<Entry> entries = new ArrayList<>(task.messages.size());
                for (String message : task.messages) {
                    entries.add(new Entry(nextSeq + entries.size(), ids.next(), message));
                }
                for (Entry entry : entries) {
                    records.add(LogRecord.of(entry, epoch.value(), key));
                    chars += entry.message().length();
                }
                nextSeq += entries.size();
                if (key != null) {
                    newKeys.put(key, entries);
                }
                group.add(task);
                groupEntries.add(entries);
            } catch (RuntimeException e) {
                task.sink.error(e);
            }
        }
        if (group.isEmpty()) {
            return;
        }
        // Before the store write: an entry becomes readable for replication only once durable, and
        // by then the ring holds it (a failed write leaves slots past the log, overwritten next).
        for (int i = 0; i < group.size(); i++) {
            String key = group.get(i).idempotencyKey;
            groupEntries.get(i).forEach(entry -> recent.put(entry, key));
        }
        CompletableFuture<Long> durable;
        try {
            durable = store.appendRecords(records);
        } catch (RuntimeException e) {
            log.error("Writing {} entries failed; nothing of them was appended: {}", records.size(), e.toString());
            group.forEach(t -> t.sink.error(e));
            sameGroupReplays.forEach(r -> r.task.sink.error(e)); // their seqs go to the next group's messages
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            AppendTask written = group.get(i);
            if (written.idempotencyKey != null) {
                recentKeys.remember(written.idempotencyKey, groupEntries.get(i), written.fingerprint);
            }
        }
        recentKeys.slideTo(store.lastSeq());
        observer.written(group.size(), records.size(), System.nanoTime() - started);
        // Once per group, whoever still waits, and before the requests' own callbacks when this
        // thread led the fsync: a report per request left the watermark behind when all of a
        // group's requests went away during the fsync, and a retry answered from the remembered
        // keys waits on it.
        durable.thenAccept(this::durableUpTo);
        for (int i = 0; i < group.size(); i++) {
            group.get(i).sink.success(new Pending(new AppendedBatch(groupEntries.get(i), false), durable));
        }
        for (Replay r : sameGroupReplays) {
            r.task.sink.success(new Pending(new AppendedBatch(r.entries, true), durable));
        }
    }

    private static boolean sameMessages(List<Entry> known, List<String> messages) {
        if (known.size() != messages.size()) {
            return false;
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!known.get(i).message().equals(messages.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reloads the keys of the writes holding the last {@code rememberedEntries} records. A batch
     * stores its key on each of its records, so consecutive records with one key are one write.
     */
    private void reloadKeys(int rememberedEntries) {
        long from = Math.max(1, store.lastSeq() - rememberedEntries + 1);
        if (from <= store.lastSeq()) {
            // a batch that straddles the start is remembered whole, else its retry would not match it
            from = startOfRun(from);
        }
        KeyRuns runs = new KeyRuns();
        while (from <= store.lastSeq()) {
            List<LogRecord> records = store.readRecords(from, LogQuery.MAX_LIMIT, LogQuery.PAGE_BYTES);
            records.forEach(runs::add);
            from += records.size();
            if (records.isEmpty()) {
                break;
            }
        }
        runs.end();
        if (store.lastSeq() > 0) {
            log.info("Loaded the log: lastSeq={}, durableSeq={}, {} idempotency keys remembered", store.lastSeq(),
                    store.durableSeq(), runs.found);
        }
    }

    /** The first seq of the write that holds {@code seq}: its run of records with one key ({@code seq} if none). */
    private long startOfRun(long seq) {
        String key = keyAt(seq);
        long from = seq;
        while (!key.isEmpty() && from > 1 && keyAt(from - 1).equals(key)) {
            from--;
        }
        return from;
    }

    private String keyAt(long seq) {
        return store.readRecords(seq, 1).get(0).idempotencyKey();
    }

    /** Remembers keys from records in log order: consecutive records with one key are one write. */
    private final class KeyRuns {
        private String currentKey;
        private List<Entry> current = new ArrayList<>();
        private int found;

        void add(LogRecord record) {
            String key = record.idempotencyKey();
            if (!key.equals(currentKey)) {
                end();
                currentKey = key.isEmpty() ? null : key;
            }
            if (currentKey != null) {
                current.add(record.toEntry());
            }
        }

        /** Takes the records at the end of the log that share the last one's key as the current run. */
        void startWithTheLastRun() {
            long last = store.lastSeq();
            if (last > 0) {
                long from = startOfRun(last);
                store.readRecords(from, Math.toIntExact(last - from + 1)).forEach(this::add);
            }
        }

        /** Remembers the run that ends here, if it had a key. */
        void end() {
            if (currentKey != null && !current.isEmpty()) {
                recentKeys.remember(currentKey, current,
                        RememberedKeys.fingerprint(current.stream().map(Entry::message).toList()));
                found++;
            }
            current = new ArrayList<>();
        }
    }

    public long lastSeq() {
        return store.lastSeq();
    }

    public long durableSeq() {
        return store.durableSeq();
    }

    /** The id of the last entry, 0 when empty. */
    public long lastId() {
        return store.idAt(store.lastSeq());
    }

    public LogStore store() {
        return store;
    }

    /**
     * Entries {@code from..from+count-1} with their idempotency keys from memory, without touching a
     * file (safe on an event loop), or null when any of them is no longer held there: read the
     * {@link #store()} then.
     */
    public KeyedEntries recentEntries(long from, int count) {
        return recent.range(from, count);
    }

    /** The entry at {@code seq} from memory, or null when it is not held there. */
    public Entry recentEntry(long seq) {
        return recent.get(seq);
    }

    private record Pending(AppendedBatch appended, CompletableFuture<Long> durable) {
    }

    /** A request that repeats an earlier one of its group: answered with that one's entries. */
    private record Replay(AppendTask task, List<Entry> entries) {
    }

    /** One request waiting for the writer. */
    private record AppendTask(List<String> messages, String idempotencyKey, byte[] fingerprint,
            MonoSink<Pending> sink) {
    }

    /** Sees each group write: requests and entries in it, and the writer's time for it. */
    @FunctionalInterface
    public interface GroupObserver {
        GroupObserver NONE = (requests, entries, nanos) -> { };

        void written(int requests, int entries, long nanos);
    }
}
