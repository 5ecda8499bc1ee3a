package dev.replog.secondary.replication;

import dev.replog.common.log.LogStore;
import dev.replog.common.log.LogStoreMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The secondary's domain meters, under {@code replog.secondary.}, and its log store's
 * {@code replog.log.append} and {@code replog.log.fsync}; HTTP meters are Spring's own.
 */
@Component
class ReplicaMetrics {

    private final AtomicLong pendingEntries = new AtomicLong();
    private final Counter appended;
    private final Timer append;
    private final Counter duplicates;
    private final Counter rolledBack;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    ReplicaMetrics(MeterRegistry registry, LogStore store) {
        Gauge.builder("replog.secondary.acked.seq", store, LogStore::durableSeq)
                .description("End of the contiguous, durable prefix (the watermark acknowledged to the master)")
                .register(registry);
        Gauge.builder("replog.secondary.pending.entries", pendingEntries, AtomicLong::get)
                .description("Entries received past a gap, kept aside until it fills")
                .register(registry);
        appended = Counter.builder("replog.secondary.appended.entries")
                .description("Entries appended to the log")
                .register(registry);
        append = Timer.builder("replog.log.append")
                .description("Writer time for one store write of a batch's new entries (not the fsync)")
                .publishPercentileHistogram()
                .register(registry);
        LogStoreMeters.bind(store, registry);
        duplicates = Counter.builder("replog.secondary.duplicate.entries")
                .description("Entries received again and dropped as duplicates")
                .register(registry);
        rolledBack = Counter.builder("replog.secondary.rolledback.entries")
                .description("Entries removed because the master's log does not contain them")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("replog.secondary.rejected.batches")
                    .description("Append batches answered 409")
                    .tag("reason", reason.code())
                    .register(registry));
        }
    }

    void appended(int entries, long nanos) {
        appended.increment(entries);
        append.record(nanos, TimeUnit.NANOSECONDS);
    }

    void duplicates(int entries) {
        duplicates.increment(entries);
    }

    void rolledBack(long entries) {
        rolledBack.increment(entries);
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void pendingEntries(long entries) {
        pendingEntries.set(entries);
    }
}
