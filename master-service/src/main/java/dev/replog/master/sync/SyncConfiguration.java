package dev.replog.master.sync;

import dev.replog.master.config.MasterProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** The sync-service cluster's client ({@code replog.sync.nodes}); unused when that is empty. */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

    @Bean
    SyncClient syncClient(MasterProperties properties, WebClient.Builder webClients) {
        return new SyncClient(properties.sync().nodeUrls(), webClients, properties.sync().requestTimeout());
    }
}
