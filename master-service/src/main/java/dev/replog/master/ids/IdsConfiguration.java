package dev.replog.master.ids;

import dev.replog.master.config.MasterProperties;
import dev.replog.master.sync.SyncClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where permanent ids come from: the sync cluster's ranges, or a local durable counter without one. */
@Configuration(proxyBeanMethods = false)
class IdsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdsConfiguration.class);

    /** A permanent-id range should last at least this long; one used up faster makes the next larger. */
    private static final Duration RANGE_LIFE = Duration.ofSeconds(2);

    @Bean
    IdSource idSource(MasterProperties properties, SyncClient sync) {
        if (properties.sync().enabled()) {
            log.info("Permanent ids from the sync cluster {}: ranges of {} from sequence {}, prefetched",
                    sync.urls(), properties.ids().rangeSize(), SyncIdSource.SEQUENCE);
            return new SyncIdSource(sync, properties.ids().rangeSize(), RANGE_LIFE, properties.ids().waitTimeout(),
                    properties.sync().initialBackoff(), properties.sync().maxBackoff());
        }
        log.info("Permanent ids from a local durable counter (replog.sync.nodes is empty)");
        return new LocalIdSource(properties.dataDir().resolve("id-reserved"), properties.ids().rangeSize());
    }
}
