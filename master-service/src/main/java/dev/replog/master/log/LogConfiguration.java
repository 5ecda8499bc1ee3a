package dev.replog.master.log;

import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.ids.IdSource;
import dev.replog.common.log.FileLogStore;
import dev.replog.common.log.LogStoreMeters;
import dev.replog.common.log.FsyncMode;
import dev.replog.common.log.LogStore;
import dev.replog.common.log.LogStoreHealthIndicator;
import dev.replog.common.log.WriterThread;
import dev.replog.common.web.LogTail;
import dev.replog.master.config.MasterProperties;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Wires the master's log: the store on disk, the writer thread, the live tail. */
@Configuration(proxyBeanMethods = false)
class LogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LogConfiguration.class);

    /**
     * The idempotency keys of the writes that hold the last this many entries are remembered; an
     * older write's key is forgotten (its retry then appends again).
     */
    private static final int REMEMBERED_KEY_ENTRIES = 100_000;

    @Bean(destroyMethod = "close")
    LogStore logStore(MasterProperties properties) {
        FsyncMode fsync = FsyncMode.parse(properties.storage().fsync());
        LogStore store = FileLogStore.open(properties.dataDir().resolve("log"), fsync,
                properties.storage().segmentBytes().toBytes());
        log.info("Log store at {} (fsync={}): lastSeq={}", properties.dataDir().resolve("log").toAbsolutePath(),
                fsync, store.lastSeq());
        return store;
    }

    /** The store as {@code logStore} in {@code /actuator/health} and its liveness group (application.yml). */
    @Bean
    LogStoreHealthIndicator logStoreHealthIndicator(LogStore store) {
        return new LogStoreHealthIndicator(store);
    }

    /**
     * The one thread that appends. Not a Reactor {@code newSingle} thread: those are marked
     * non-blocking (BlockHound rejects I/O on them), and this thread exists to do file I/O. Handing
     * it work never blocks (see {@link WriterThread}).
     */
    @Bean(destroyMethod = "close")
    WriterThread logWriterThread() {
        return new WriterThread("log-writer");
    }

    @Bean(destroyMethod = "dispose")
    Scheduler logWriter(WriterThread logWriterThread) {
        return Schedulers.fromExecutor(logWriterThread);
    }

    @Bean
    MessageLog messageLog(LogStore store, IdSource ids, MasterEpoch epoch, Scheduler logWriter, MeterRegistry meters) {
        MessageLog messages = new MessageLog(store, ids, epoch, logWriter, REMEMBERED_KEY_ENTRIES);
        observe(messages, store, meters);
        return messages;
    }

    /** Followers of {@code GET /messages/stream}: they see the master's durable log. */
    @Bean
    LogTail logTail(MessageLog messages, MasterProperties properties) {
        return new LogTail(messages.store(), messages::durableSeq, properties.stream().keepAlive());
    }

    /** {@code replog.log.append} (one store write per writer turn) and {@code replog.log.fsync}. */
    private static void observe(MessageLog messages, LogStore store, MeterRegistry meters) {
        Timer append = Timer.builder("replog.log.append")
                .description("Writer time for one group write: ids, encoding and the store write of every request "
                        + "waiting (not the fsync)")
                .publishPercentileHistogram()
                .register(meters);
        DistributionSummary groupEntries = DistributionSummary.builder("replog.log.append.entries")
                .description("Entries written by one group write (group commit)")
                .register(meters);
        messages.observeGroups((requests, entries, nanos) -> {
            append.record(nanos, TimeUnit.NANOSECONDS);
            groupEntries.record(entries);
        });
        LogStoreMeters.bind(store, meters);
    }
}
