package dev.replog.sync.config;

import dev.replog.common.web.ClusterSecretFilter;
import dev.replog.common.web.ClusterSecretHeader;
import dev.replog.sync.cluster.HttpPeer;
import dev.replog.sync.cluster.LocalAcceptor;
import dev.replog.sync.cluster.Membership;
import dev.replog.sync.cluster.OtherNodes;
import dev.replog.sync.paxos.Acceptor;
import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.FileAcceptorStore;
import dev.replog.sync.paxos.Proposer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires one sync node: its durable acceptor, its peers over HTTP, its proposer (over all nodes,
 * itself called in-process) and the membership that decides when its acceptor may vote.
 */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

    private final SyncProperties properties;

    SyncConfiguration(SyncProperties properties) {
        this.properties = properties;
    }

    /** {@code /paxos/**} only for peers with the cluster secret (when one is set). */
    @Bean
    ClusterSecretFilter clusterSecretFilter(ServerCodecConfigurer codecs) {
        return new ClusterSecretFilter(properties.cluster(), codecs, "paxos");
    }

    /** Every request to a peer carries the cluster secret (when one is set). */
    @Bean
    ClusterSecretHeader clusterSecretHeader() {
        return new ClusterSecretHeader(properties.cluster());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AcceptorCore acceptorCore(JsonMapper json) {
        return new AcceptorCore(new FileAcceptorStore(properties.dataDir(), json));
    }

    /** The other nodes, in {@code replog.sync.peers} order. */
    @Bean
    OtherNodes otherNodes(WebClient.Builder builder) {
        List<HttpPeer> others = new ArrayList<>();
        List<URI> peers = properties.sync().peers();
        for (int i = 0; i < peers.size(); i++) {
            if (i + 1 != properties.sync().nodeId()) {
                URI url = peers.get(i);
                others.add(new HttpPeer("sync node " + (i + 1) + " (" + url + ")",
                        builder.clone().baseUrl(url.toString()).build(), properties.sync().requestTimeout()));
            }
        }
        return new OtherNodes(others);
    }

    @Bean(destroyMethod = "stop")
    Membership membership(AcceptorCore core, OtherNodes otherNodes, MeterRegistry registry) {
        // its own ballot id, so that its ballots never equal those of the node's main proposer
        int rejoinId = properties.sync().peers().size() + properties.sync().nodeId();
        Proposer rejoin = new Proposer(rejoinId, List.copyOf(otherNodes.peers()), settings(), Schedulers.parallel(),
                registry);
        return new Membership(properties.nodeName(), core, otherNodes.peers(), rejoin,
                properties.sync().joinCheckInterval(), blocking());
    }

    @Bean
    LocalAcceptor localAcceptor(AcceptorCore core, Membership membership) {
        return new LocalAcceptor(properties.nodeName(), core, membership, blocking());
    }

    @Bean
    Proposer proposer(LocalAcceptor self, OtherNodes otherNodes, AcceptorCore core, MeterRegistry registry) {
        List<Acceptor> all = new ArrayList<>(otherNodes.peers());
        all.add(properties.sync().nodeId() - 1, self);
        Proposer proposer = new Proposer(properties.sync().nodeId(), all, settings(), Schedulers.parallel(), registry);
        proposer.observe(core.maxBallot());
        return proposer;
    }

    @EventListener(ApplicationReadyEvent.class)
    void startMembership(ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(Membership.class).start();
    }

    private Proposer.Settings settings() {
        SyncProperties.Backoff backoff = properties.sync().backoff();
        return new Proposer.Settings(properties.sync().requestTimeout(), backoff.first(), backoff.max(),
                backoff.jitter(), backoff.giveUpAfter());
    }

    private static Scheduler blocking() {
        return Schedulers.boundedElastic();
    }
}
