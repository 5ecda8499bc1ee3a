package dev.replog.faulty;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the start-up faults ({@code replog.faults.*}) and the test-only defects ({@code replog.testing.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({FaultProperties.class, TestingProperties.class})
class FaultConfiguration {
}
