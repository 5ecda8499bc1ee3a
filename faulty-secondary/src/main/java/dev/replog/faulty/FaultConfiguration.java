package dev.replog.faulty;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the start-up faults ({@code replog.faults.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FaultProperties.class)
class FaultConfiguration {
}
