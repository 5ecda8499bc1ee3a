package dev.replog.secondary.config;

import dev.replog.common.log.CorruptLogException;
import dev.replog.common.log.FileLogStore;
import dev.replog.common.log.FsyncMode;
import dev.replog.common.log.LogStore;
import dev.replog.common.log.LogStoreHealthIndicator;
import dev.replog.common.web.LogTail;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The secondary's durable log: segment files under {@code replog.data-dir/log}, recovered at start
 * (a torn tail is cut; a damaged sealed segment stops the node) and closed, with a last fsync, on
 * shutdown. Kept apart from {@link SecondaryConfiguration} so that binding the settings alone opens
 * no files.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    /** The log holds only the contiguous prefix; entries past a gap are kept aside by the replica. */
    @Bean(destroyMethod = "close")
    LogStore logStore(SecondaryProperties properties) {
        Path dir = properties.dataDir().resolve("log");
        FsyncMode fsync = properties.storage().fsyncMode();
        FileLogStore store;
        try {
            store = FileLogStore.open(dir, fsync, properties.storage().segmentBytes().toBytes());
        } catch (CorruptLogException e) {
            log.error("Refusing to start: the log in {} is damaged beyond a torn tail, and serving it could show a "
                    + "wrong log: {}", dir.toAbsolutePath(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            log.error("Refusing to start: cannot open the log in {}: {}", dir.toAbsolutePath(), e.getMessage());
            throw e;
        }
        log.info("Log store at {} (fsync={}, segments of {}): seq 1..{} durable", dir.toAbsolutePath(),
                fsync.name().toLowerCase(Locale.ROOT), properties.storage().segmentBytes(),
                store.durableSeq());
        return store;
    }

    /** The store as {@code logStore} in {@code /actuator/health} and its liveness group (application.yml). */
    @Bean
    LogStoreHealthIndicator logStoreHealthIndicator(LogStore store) {
        return new LogStoreHealthIndicator(store);
    }

    /** Followers of {@code GET /messages/stream}: they see the durable contiguous prefix. */
    @Bean
    LogTail logTail(LogStore store, SecondaryProperties properties) {
        return new LogTail(store, store::durableSeq, properties.stream().keepAlive());
    }
}
