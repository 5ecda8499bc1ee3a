package dev.replog.master.replication;

import dev.replog.common.web.ClusterSecretHeader;
import dev.replog.common.protocol.ActiveMaster;
import dev.replog.master.config.AdvertisedUrl;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/** Builds one replicator, one client and one Retry per configured secondary, and their metrics. */
@Configuration(proxyBeanMethods = false)
class ReplicationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReplicationConfiguration.class);

    @Bean
    List<SecondaryNode> secondaryNodes(MasterProperties properties) {
        List<SecondaryNode> nodes = SecondaryNode.parseAll(properties.secondaries());
        log.info("Cluster of n={} nodes: this master plus {}", nodes.size() + 1,
                nodes.stream().map(node -> node.name() + "=" + node.url()).toList());
        return nodes;
    }

    /** Every internal request (to secondaries and sync nodes) carries the cluster secret, when one is set. */
    @Bean
    ClusterSecretHeader clusterSecretHeader(MasterProperties properties) {
        return new ClusterSecretHeader(properties.cluster());
    }

    @Bean
    AckTracker ackTracker(List<SecondaryNode> secondaryNodes) {
        return new AckTracker(secondaryNodes.size() + 1);
    }

    /**
     * One Retry per secondary. Not bound to Micrometer: Resilience4j's {@code resilience4j_retry_calls}
     * counts deliveries by outcome once they end, and a delivery retried until the node answers
     * ends late or never; {@code replog.replication.retries} (see {@link #observe}) counts each
     * retry as it starts, and is the one retry metric.
     */
    @Bean
    RetryRegistry replicationRetryRegistry() {
        return RetryRegistry.ofDefaults();
    }

    /** The secondaries, each with its client, replicator and log. */
    @Bean
    ClusterMembers clusterMembers(List<SecondaryNode> secondaryNodes, MessageLog messages, AckTracker tracker,
            MasterProperties properties, MasterEpoch epoch, AdvertisedUrl url, RetryRegistry retries,
            WebClient.Builder webClients, JsonMapper json, MeterRegistry meters) {
        HttpClient http = HttpClient.create();
        ClusterMembers members = new ClusterMembers(tracker, epoch);
        Replicator.BatchLimits limits = new Replicator.BatchLimits(properties.replication().maxBatchEntries(),
                properties.replication().maxBatchBytes().toBytes(), properties.replication().linger(),
                properties.replication().maxInFlight());
        // told to every secondary once this master leads: they redirect writes to it
        // (not once it stepped down: it no longer leads, whatever epoch it holds)
        Supplier<ActiveMaster> self = () -> epoch.taken() && !members.steppedDown()
                ? new ActiveMaster(url.get(), epoch.value()) : null;
        for (SecondaryNode node : secondaryNodes) {
            NodeHealth health = new NodeHealth(properties.heartbeat().unhealthyAfter());
            SecondaryClient client = new SecondaryClient(node, webClients, http, json, properties.cluster(),
                    properties.replication().requestTimeout(), properties.heartbeat().timeout(), self);
            SecondaryLog log = new SecondaryLog(node, client, messages);
            Retry retry = retries.retry("replication-" + node.name(), retryConfig(properties.retry(), health));
            Timer roundTrip = Timer.builder("replog.replication.round.trip")
                    .description("Time from sending an append batch to a secondary until its answer (retries included)")
                    .tag("secondary", node.name())
                    .publishPercentileHistogram()
                    .register(meters);
            Replicator replicator = new Replicator(node, messages, tracker, client, log, retry, health, epoch, limits,
                    roundTrip, Clock.systemUTC(), members);
            observe(replicator, retry, meters);
            members.add(new Secondary(node, client, replicator, log));
        }
        return members;
    }

    @Bean
    Heartbeats heartbeats(ClusterMembers members, MasterProperties properties) {
        return new Heartbeats(members.secondaries(), properties.heartbeat().interval());
    }

    /**
     * Exponential backoff with jitter, retried while the node is not UNHEALTHY (then heartbeats
     * take over), unlimited unless {@code replog.retry.max-attempts} is set.
     */
    private static RetryConfig retryConfig(MasterProperties.Retry settings, NodeHealth health) {
        return RetryConfig.custom()
                .maxAttempts(settings.maxAttempts() > 0 ? settings.maxAttempts() : Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(),
                        settings.multiplier(), settings.randomizationFactor(), settings.maxBackoff()))
                .retryOnException(error -> health.status() != NodeStatus.UNHEALTHY)
                .failAfterMaxAttempts(true)
                .build();
    }

    private static void observe(Replicator replicator, Retry retry, MeterRegistry meters) {
        String name = replicator.node().name();
        Counter retries = Counter.builder("replog.replication.retries")
                .description("Retries of deliveries to a secondary: one for each failed attempt that is tried again")
                .tag("secondary", name).register(meters);
        retry.getEventPublisher().onRetry(event -> {
            retries.increment();
            log.info("Retrying delivery to {} (attempt {}, next in {} ms): {}", name, event.getNumberOfRetryAttempts(),
                    event.getWaitInterval().toMillis(), event.getLastThrowable().getMessage());
        });
        Gauge.builder("replog.replication.lag", replicator, Replicator::lag)
                .description("Entries the master holds that the secondary has not acknowledged")
                .tag("secondary", name).register(meters);
        Gauge.builder("replog.replication.acked.seq", replicator, Replicator::ackedSeq)
                .description("The secondary's acknowledged watermark")
                .tag("secondary", name).register(meters);
        Gauge.builder("replog.node.status", replicator, r -> r.health().status().ordinal())
                .description("0 HEALTHY, 1 SUSPECTED, 2 UNHEALTHY")
                .tag("secondary", name).register(meters);
    }
}
