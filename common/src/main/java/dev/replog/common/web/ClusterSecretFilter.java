package dev.replog.common.web;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards a node's internal endpoints with the cluster secret: a request to one of them without
 * {@value ClusterSettings#SECRET_HEADER}, or with a wrong value, is answered 401 problem+json
 * before any handler runs and before its body is read, so it changes nothing. Without a secret
 * ({@link ClusterSettings#secured()} false) everything passes, as before.
 *
 * <p>An endpoint is internal when the first segment of its path (decoded, matrix parameters and
 * empty segments left out, any case) is one of the guarded ones, so {@code /Replication;x/append}
 * or {@code //replication/append} cannot slip past it. It runs before every other filter (the
 * faulty-secondary's faults included): an unauthenticated caller learns nothing about the node.
 */
public final class ClusterSecretFilter implements WebFilter, Ordered {

    /** Early, but after the framework's own observation filters. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final Logger log = LoggerFactory.getLogger(ClusterSecretFilter.class);

    private final ClusterSettings cluster;
    private final Set<String> guarded;
    private final ProblemWriter problems;

    /**
     * @param guardedSegments first path segments of the internal endpoints, e.g. {@code "replication"}
     */
    public ClusterSecretFilter(ClusterSettings cluster, ServerCodecConfigurer codecs, String... guardedSegments) {
        this.cluster = cluster;
        this.problems = new ProblemWriter(codecs);
        this.guarded = Set.of(guardedSegments).stream().map(s -> s.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!cluster.secured() || !isInternal(exchange)) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(ClusterSettings.SECRET_HEADER);
        if (cluster.admits(presented)) {
            return chain.filter(exchange);
        }
        String why = presented == null ? "missing" : "wrong";
        // never the presented value: it may be the secret of another cluster, or a typo of this one's
        log.warn("Refused {} {} from {}: cluster secret {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(), exchange.getRequest().getRemoteAddress(), why);
        return refuse(exchange, new UnauthorizedException("internal endpoint: the " + ClusterSettings.SECRET_HEADER
                + " header is " + why + " (replog.cluster.secret)"));
    }

    /**
     * Whether a request to {@code path} (a path or path template such as
     * {@code /replication/append}) needs the secret: what the node's OpenAPI document marks as
     * internal ({@link ApiDocument}).
     */
    public boolean guards(String path) {
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                return guarded.contains(segment.toLowerCase(Locale.ROOT));
            }
        }
        return false;
    }

    private boolean isInternal(ServerWebExchange exchange) {
        for (PathContainer.Element element : exchange.getRequest().getPath().pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
                return guarded.contains(segment.valueToMatch().toLowerCase(Locale.ROOT));
            }
        }
        return false;
    }

    private Mono<Void> refuse(ServerWebExchange exchange, UnauthorizedException refusal) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Replog-Secret realm=\"replog-cluster\"");
        return problems.write(exchange.getResponse(), ProblemHandler.problemOf(refusal, exchange));
    }
}
