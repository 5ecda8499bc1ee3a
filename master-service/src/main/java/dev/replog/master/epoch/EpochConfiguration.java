package dev.replog.master.epoch;

import dev.replog.master.config.MasterProperties;
import dev.replog.master.sync.SyncClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where epochs come from (the sync cluster's sequence, or a local durable counter), and the master's own. */
@Configuration(proxyBeanMethods = false)
class EpochConfiguration {

    @Bean
    EpochSource epochSource(MasterProperties properties, SyncClient sync) {
        if (properties.sync().enabled()) {
            return new SyncEpochSource(sync);
        }
        return new LocalEpochSource(properties.dataDir().resolve("epoch"));
    }

    @Bean
    MasterEpoch masterEpoch() {
        return new MasterEpoch();
    }
}
