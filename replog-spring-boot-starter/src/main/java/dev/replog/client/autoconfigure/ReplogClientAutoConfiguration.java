package dev.replog.client.autoconfigure;

import dev.replog.client.ReplogClient;
import dev.replog.client.producer.ReplogProducer;
import dev.replog.client.write.WriteListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link ReplogClient} and its {@link ReplogProducer} from {@code replog.client.*}, when
 * {@code replog.client.nodes} is set; with Micrometer, meters of the client's writes; with Spring
 * Boot's health, a {@code replog} health indicator.
 */
@AutoConfiguration
@ConditionalOnClass(ReplogClient.class)
@Conditional(OnNodesCondition.class)
@EnableConfigurationProperties(ReplogClientProperties.class)
public class ReplogClientAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ReplogClient replogClient(ReplogClientProperties properties, ObjectProvider<WriteListener> listeners) {
        ReplogClient.Builder builder = ReplogClient.builder()
                .nodes(properties.nodes())
                .syncNodes(properties.syncNodes())
                .defaultW(properties.writeConcern())
                .connectTimeout(properties.connectTimeout())
                .requestTimeout(properties.requestTimeout())
                .deliveryTimeout(properties.deliveryTimeout())
                .syncTimeout(properties.syncTimeout())
                .tailIdleTimeout(properties.tailIdleTimeout())
                .maxConnections(properties.maxConnections())
                .producer(properties.producer().settings(properties.writeConcern()))
                .listener(listeners.getIfUnique(() -> WriteListener.NONE));
        if (!properties.clientId().isBlank()) {
            builder.clientId(properties.clientId());
        }
        return builder.build();
    }

    /** The client's own producer: closed (its messages sent) when the client is. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    ReplogProducer replogProducer(ReplogClient client) {
        return client.producer();
    }

    /** Meters of the client's writes, when the application has Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean(WriteListener.class)
        ReplogClientMetrics replogClientMetrics(ObjectProvider<MeterRegistry> registry) {
            return new ReplogClientMetrics(registry);
        }
    }

    /** The {@code replog} health indicator, when the application has Spring Boot's health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ReactiveHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("replog")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "replogHealthIndicator")
        ReplogHealthIndicator replogHealthIndicator(ReplogClient client) {
            return new ReplogHealthIndicator(client);
        }
    }
}
