package dev.replog.master.cluster;

import dev.replog.common.protocol.ActiveMaster;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What orchestrators see: {@code /actuator/health/readiness} is UP only while this instance is
 * the active master and takes writes (READ_WRITE), so a Kubernetes Service over every master
 * instance reaches the active one; liveness stays UP on a healthy standby. The {@code cluster}
 * component reports role, mode, epoch and the active master, and is always UP: a standby is healthy.
 */
@Configuration(proxyBeanMethods = false)
class ClusterProbes {

    @Bean
    ReadinessStateHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability,
            ClusterView cluster) {
        return new ReadinessStateHealthIndicator(availability) {
            @Override
            protected AvailabilityState getState(ApplicationAvailability applicationAvailability) {
                AvailabilityState started = super.getState(applicationAvailability);
                return started == ReadinessState.ACCEPTING_TRAFFIC && cluster.mode() == Mode.READ_WRITE
                        ? ReadinessState.ACCEPTING_TRAFFIC
                        : ReadinessState.REFUSING_TRAFFIC;
            }
        };
    }

    @Bean
    HealthIndicator cluster(ClusterView cluster, LeaderView leader) {
        return () -> {
            Health.Builder health = Health.up()
                    .withDetail("role", leader.role().name())
                    .withDetail("mode", cluster.mode().name());
            ActiveMaster active = leader.activeMaster();
            if (active != null) {
                health.withDetail("activeMaster", active.url()).withDetail("epoch", active.epoch());
            }
            return health.build();
        };
    }
}
