package dev.replog.secondary.config;

import dev.replog.common.web.ClusterSecretFilter;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * The secondary's beans that are not components of their own: settings, the cluster-secret guard
 * and API description (the
 * log is {@link StorageConfiguration}'s). Lives here, not on the application class, so the
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

    @Bean
    OpenAPI secondaryOpenApi(SecondaryProperties properties) {
        return new OpenAPI().info(new Info()
                .title("replog secondary (" + properties.nodeName() + ")")
                .description("A replica of the master's log: public reads of the contiguous prefix and the "
                        + "internal replication endpoints the master calls.")
                .version("0.1.0"));
    }
}
