package dev.replog.client.autoconfigure;

import dev.replog.client.ReplogClient;
import dev.replog.client.write.ActiveMaster;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * UP when an active master answers {@code GET /health} (with its url, epoch and mode: a READ_ONLY
 * master is reachable but takes no writes, which the {@code mode} detail shows), DOWN when no node
 * shows one.
 */
public class ReplogHealthIndicator implements ReactiveHealthIndicator {

    private final ReplogClient client;

    public ReplogHealthIndicator(ReplogClient client) {
        this.client = client;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromFuture(client::activeMaster)
                .map(ReplogHealthIndicator::up)
                .onErrorResume(error -> Mono.just(Health.down().withDetail("error", error.getMessage()).build()));
    }

    private static Health up(ActiveMaster master) {
        Health.Builder health = Health.up().withDetail("master", master.url().toString());
        if (master.epoch() >= 0) {
            health.withDetail("epoch", master.epoch());
        }
        if (master.mode() != null) {
            health.withDetail("mode", master.mode());
        }
        return health.build();
    }
}
