package dev.replog.common.web;

import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adds the cluster secret to every request of the node's {@link WebClient.Builder}, so each
 * internal client (the master's to secondaries and sync nodes, a sync node's to its peers) carries
 * it without knowing of it. Clients built with {@code builder.clone()} keep the header. Without a
 * secret it adds nothing.
 */
public final class ClusterSecretHeader implements WebClientCustomizer {

    private final ClusterSettings cluster;

    public ClusterSecretHeader(ClusterSettings cluster) {
        this.cluster = cluster;
    }

    @Override
    public void customize(WebClient.Builder builder) {
        if (cluster.secured()) {
            builder.defaultHeaders(headers -> headers.set(ClusterSettings.SECRET_HEADER, cluster.secret()));
        }
    }
}
