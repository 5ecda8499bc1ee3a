package dev.replog.master.log;

import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import reactor.core.publisher.Mono;

/**
 * The master's log: the one place that gives each message its {@code seq} and permanent id.
 *
 * <p>Appends are serialized by one lock held only for the in-memory work (assigning numbers and
 * handing the entry to the store); durability is awaited outside it, so a waiting writer never
 * holds up others. Recent idempotency keys are remembered so a retried request finds its entry.
 */
public final class MessageLog {

    private final LogStore store;
    private final IdSource ids;
    private final Map<String, Entry> recentKeys;
    private final LongConsumer onDurable;
    private final Object writer = new Object();

    /**
     * @param onDurable told the new durable seq after every append becomes durable
     */
    public MessageLog(LogStore store, IdSource ids, int rememberedKeys, LongConsumer onDurable) {
        this.store = store;
        this.ids = ids;
        this.onDurable = onDurable;
        this.recentKeys = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > rememberedKeys;
            }
        };
    }

    /**
     * Appends {@code message}, or finds the entry appended earlier under the same
     * {@code idempotencyKey}. Completes once the entry is durable on this node.
     */
    public Mono<Appended> append(String message, String idempotencyKey) {
        return Mono.defer(() -> {
            Appended appended;
            CompletableFuture<Long> durable;
            synchronized (writer) {
                Entry known = idempotencyKey == null ? null : recentKeys.get(idempotencyKey);
                if (known != null) {
                    if (!known.message().equals(message)) {
                        return Mono.error(new IdempotencyConflictException(known.seq()));
                    }
                    return Mono.just(new Appended(known, true));
                }
                Entry entry = new Entry(store.lastSeq() + 1, ids.next(), message);
                durable = store.append(List.of(entry));
                if (idempotencyKey != null) {
                    recentKeys.put(idempotencyKey, entry);
                }
                appended = new Appended(entry, false);
            }
            return Mono.fromFuture(durable)
                    .doOnNext(onDurable::accept)
                    .thenReturn(appended);
        });
    }

    public long lastSeq() {
        return store.lastSeq();
    }

    public long durableSeq() {
        return store.durableSeq();
    }

    public LogStore store() {
        return store;
    }
}
