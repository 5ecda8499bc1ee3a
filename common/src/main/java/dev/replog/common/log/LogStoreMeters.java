package dev.replog.common.log;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The log store's meters, the same on every node that keeps a log: {@code replog.log.fsync} (one
 * fsync) and {@code replog.log.fsync.entries} (entries made durable by it, the group-commit factor).
 */
public final class LogStoreMeters {

    private LogStoreMeters() {
    }

    /** Registers the fsync meters of {@code store} (none for a store that does not fsync). */
    public static void bind(LogStore store, MeterRegistry meters) {
        if (!(store instanceof FileLogStore file)) {
            return;
        }
        Timer fsync = Timer.builder("replog.log.fsync")
                .description("One fsync of the log; every append written meanwhile becomes durable with it")
                .publishPercentileHistogram()
                .register(meters);
        DistributionSummary covered = DistributionSummary.builder("replog.log.fsync.entries")
                .description("Entries made durable by one fsync")
                .register(meters);
        file.observeFsyncs((nanos, records) -> {
            fsync.record(nanos, TimeUnit.NANOSECONDS);
            covered.record(records);
        });
    }
}
