package dev.replog.secondary.replication;

import dev.replog.common.log.LogStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** The secondary's domain meters, under {@code replog.secondary.}; HTTP meters are Spring's own. */
@Component
class ReplicaMetrics {

    private final AtomicLong pendingEntries = new AtomicLong();
    private final Counter appended;
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

    void appended(int entries) {
        appended.increment(entries);
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
