package dev.replog.master.recovery;

import dev.replog.common.log.LogStore;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.datadir.DataDirState;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What recovery needs to know of the data dir before it starts. */
@Configuration(proxyBeanMethods = false)
class RecoveryConfiguration {

    /** Decided once the log is open and before anything writes a record: did the log hold any? */
    @Bean
    DataDirState dataDirState(MasterProperties properties, LogStore store) {
        return DataDirState.inspect(properties.dataDir(), store.lastSeq());
    }
}
