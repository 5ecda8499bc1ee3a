package dev.replog.common.log;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The node's log store in {@code /actuator/health} (component {@code logStore}): UP with its
 * {@code lastSeq} and {@code durableSeq}; DOWN once the store failed (a failed fsync), with the
 * reason, since the node takes no writes until it is restarted. The services include it in the
 * liveness group, so that an orchestrator watching {@code /actuator/health/liveness} restarts the
 * node, which then recovers its log from disk.
 */
public final class LogStoreHealthIndicator implements HealthIndicator {

    private final LogStore store;

    public LogStoreHealthIndicator(LogStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        return store.failure()
                .map(failed -> Health.down()
                        .withDetail("reason", failed.reason())
                        .withDetail("action", "restart the node: it takes no writes until then, and recovers its "
                                + "log from disk at start"))
                .orElseGet(() -> Health.up()
                        .withDetail("lastSeq", store.lastSeq())
                        .withDetail("durableSeq", store.durableSeq()))
                .build();
    }
}
