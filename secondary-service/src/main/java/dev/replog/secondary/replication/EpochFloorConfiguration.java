package dev.replog.secondary.replication;

import dev.replog.secondary.config.SecondaryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Where a node that lost its epoch learns the newest one: the sync cluster when configured. */
@Configuration(proxyBeanMethods = false)
class EpochFloorConfiguration {

    @Bean
    EpochFloor epochFloor(SecondaryProperties properties, WebClient.Builder webClients) {
        SecondaryProperties.Sync sync = properties.sync();
        return sync.nodeUrls().isEmpty()
                ? EpochFloor.NONE
                : new SyncEpochFloor(sync.nodeUrls(), webClients, sync.requestTimeout());
    }
}
