package dev.replog.master.log;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogStore;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.writeconcern.AckTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the master's log: the store, permanent ids, the epoch. */
@Configuration(proxyBeanMethods = false)
class LogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LogConfiguration.class);

    /** Remembered idempotency keys; older keys are forgotten (a replay then appends again). */
    private static final int REMEMBERED_KEYS = 100_000;

    @Bean(destroyMethod = "close")
    LogStore logStore() {
        return new InMemoryLogStore();
    }

    @Bean
    IdSource idSource(MasterProperties properties) {
        return new LocalIdSource(properties.dataDir().resolve("id-reserved"), properties.ids().rangeSize());
    }

    @Bean
    EpochSource epochSource(MasterProperties properties) {
        return new LocalEpochSource(properties.dataDir().resolve("epoch"));
    }

    @Bean
    MasterEpoch masterEpoch(EpochSource epochs) {
        MasterEpoch epoch = new MasterEpoch(epochs.takeNewEpoch());
        log.info("Master took epoch {}", epoch.value());
        return epoch;
    }

    @Bean
    MessageLog messageLog(LogStore store, IdSource ids, AckTracker tracker) {
        return new MessageLog(store, ids, REMEMBERED_KEYS, tracker::masterDurable);
    }
}
