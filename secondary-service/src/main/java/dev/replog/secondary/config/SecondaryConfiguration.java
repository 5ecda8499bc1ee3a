package dev.replog.secondary.config;

import dev.replog.common.web.ClusterSecretFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * The secondary's beans that are not components of their own: settings and the cluster-secret guard
 * (the log is {@link StorageConfiguration}'s, the API description {@link ApiDocumentation}'s). Lives here, not on the application class, so the
 * faulty-secondary gets it by scanning.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecondaryProperties.class)
class SecondaryConfiguration {

    /** {@code /replication/**} only for callers with the cluster secret (when one is set). */
    @Bean
    ClusterSecretFilter clusterSecretFilter(SecondaryProperties properties, ServerCodecConfigurer codecs) {
        return new ClusterSecretFilter(properties.cluster(), codecs, "replication");
    }
}
