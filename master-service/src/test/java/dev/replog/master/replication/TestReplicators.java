package dev.replog.master.replication;

import dev.replog.common.web.ClusterSettings;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@link Replicator} built outside a Spring context, for the tests that drive it against a
 * secondary of their own: a real {@link SecondaryClient} (no cluster secret) and
 * {@link SecondaryLog}, resilience4j's default retry named after the node, a round-trip timer in a
 * meter registry of its own, the system clock, and the {@link Replicator.Events} the test chooses.
 */
final class TestReplicators {

    private TestReplicators() {
    }

    /**
     * A replicator that ships {@code messages} to {@code node} and counts its acks in {@code tracker}.
     *
     * @param timeout the client's append and status timeout
     */
    static Replicator replicator(SecondaryNode node, MessageLog messages, AckTracker tracker, MasterEpoch epoch,
            NodeHealth health, Replicator.BatchLimits limits, Duration timeout, Replicator.Events events) {
        SecondaryClient client = new SecondaryClient(node, WebClient.builder(), HttpClient.create(), JsonMapper.shared(),
                new ClusterSettings(""), timeout, timeout, () -> null);
        Timer roundTrip = Timer.builder("round.trip").register(new SimpleMeterRegistry());
        return new Replicator(node, messages, tracker, client, new SecondaryLog(node, client, messages),
                Retry.ofDefaults(node.name()), health, epoch, limits, roundTrip, Clock.systemUTC(), events);
    }

    /** Events no one listens to: health changes and supersessions go nowhere. */
    static Replicator.Events ignoredEvents() {
        return onSuperseded(() -> {
        });
    }

    /**
     * Events that run {@code onSuperseded} each time a secondary follows a newer master; health
     * changes go nowhere.
     */
    static Replicator.Events onSuperseded(Runnable onSuperseded) {
        return new Replicator.Events() {
            @Override
            public void healthChanged() {
            }

            @Override
            public void superseded(Replicator by, long newerEpoch) {
                onSuperseded.run();
            }
        };
    }
}
