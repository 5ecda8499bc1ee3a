package dev.replog.master.log;

import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The master's log: the one place that gives each message its {@code seq} and permanent id.
 *
 * <p>Appends run on one dedicated writer thread (file writes and id reservations are I/O and must
 * not run on an event loop), so they are serialized without a lock; durability is awaited
 * outside it, where one group fsync covers every append made meanwhile. Recent idempotency keys
 * are remembered, and reloaded from the log at start, so a retried request finds its entry even
 * after a restart.
 */
public final class MessageLog {

    private static final Logger log = LoggerFactory.getLogger(MessageLog.class);

    private final LogStore store;
    private final IdSource ids;
    private final MasterEpoch epoch;
    private final Scheduler writer;
    private final Map<String, Entry> recentKeys;
    private final LongConsumer onDurable;

    /**
     * @param writer    the single thread every append runs on
     * @param onDurable told the new durable seq after every append becomes durable
     */
    public MessageLog(LogStore store, IdSource ids, MasterEpoch epoch, Scheduler writer, int rememberedKeys,
            LongConsumer onDurable) {
        this.store = store;
        this.ids = ids;
        this.epoch = epoch;
        this.writer = writer;
        this.onDurable = onDurable;
        this.recentKeys = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > rememberedKeys;
            }
        };
        reloadKeys(rememberedKeys);
        onDurable.accept(store.durableSeq());
    }

    /**
     * Appends {@code message}, or finds the entry appended earlier under the same
     * {@code idempotencyKey}. Completes once the entry is durable on this node; errors with
     * {@link IdsUnavailableException} when no permanent id became available within the bound.
     */
    public Mono<Appended> append(String message, String idempotencyKey) {
        Mono<Pending> onWriter = Mono.fromCallable(() -> appendOnWriter(message, idempotencyKey)).subscribeOn(writer);
        // No id in hand (the prefetched ranges are spent): wait, without blocking, until the id
        // source has one again, up to its bound, then try again; a second miss waits once more.
        return onWriter
                .onErrorResume(MessageLog::waitForIds, error -> ids.awaitAvailable().then(onWriter))
                .onErrorResume(MessageLog::waitForIds, error -> ids.awaitAvailable().then(onWriter))
                .flatMap(pending -> pending.durable == null
                        ? Mono.just(pending.appended)
                        // suppressCancel: a client that goes away must not cancel the shared write
                        : Mono.fromFuture(pending.durable, true).doOnNext(onDurable::accept).thenReturn(pending.appended));
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

    /** Appends entries fetched from a secondary during recovery, keeping their seq and id. */
    public Mono<Long> appendRecovered(List<Entry> entries) {
        return Mono.fromCallable(() -> store.appendRecords(entries.stream().map(LogRecord::of).toList()))
                .subscribeOn(writer)
                .flatMap(durable -> Mono.fromFuture(durable, true))
                .doOnNext(onDurable::accept);
    }

    /** Makes every later id greater than {@code id} and than every id in the log. */
    public Mono<Void> advanceIdsPast(long id) {
        return Mono.<Void>fromRunnable(() -> ids.advancePast(Math.max(id, lastId()))).subscribeOn(writer);
    }

    private Pending appendOnWriter(String message, String idempotencyKey) {
        Entry known = idempotencyKey == null ? null : recentKeys.get(idempotencyKey);
        if (known != null) {
            if (!known.message().equals(message)) {
                throw new IdempotencyConflictException(known.seq());
            }
            return new Pending(new Appended(known, true), null);
        }
        Entry entry = new Entry(store.lastSeq() + 1, ids.next(), message);
        CompletableFuture<Long> durable = store.appendRecords(List.of(LogRecord.of(entry, epoch.value(), idempotencyKey)));
        if (idempotencyKey != null) {
            recentKeys.put(idempotencyKey, entry);
        }
        return new Pending(new Appended(entry, false), durable);
    }

    private void reloadKeys(int rememberedKeys) {
        long from = Math.max(1, store.lastSeq() - rememberedKeys + 1);
        int found = 0;
        while (from <= store.lastSeq()) {
            List<LogRecord> records = store.readRecords(from, 10_000);
            for (LogRecord record : records) {
                if (!record.idempotencyKey().isEmpty()) {
                    recentKeys.put(record.idempotencyKey(), record.toEntry());
                    found++;
                }
            }
            from += records.size();
            if (records.isEmpty()) {
                break;
            }
        }
        if (store.lastSeq() > 0) {
            log.info("Loaded the log: lastSeq={}, durableSeq={}, {} idempotency keys remembered", store.lastSeq(),
                    store.durableSeq(), found);
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

    private record Pending(Appended appended, CompletableFuture<Long> durable) {
    }
}
