package dev.replog.sync.cluster;

import dev.replog.common.web.RequestBodies;
import dev.replog.sync.config.SyncProperties;
import dev.replog.sync.lock.LockService;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends every client operation on a key ({@code /sequences/{name}...}, {@code /locks/{name}/...})
 * to that key's preferred node, chosen by a hash of the key, and relays its answer. All proposals
 * for a key then come from one proposer, whose per-key queue combines them into few rounds,
 * instead of three proposers overtaking each other's ballots (and starving one of them).
 *
 * <p>This is routing only: any node may still propose for any key, and does so itself when the
 * preferred node does not answer, answers 5xx or takes longer than the operation may take. The
 * operation may then take effect there as well, even later; running it twice is harmless: a range
 * taken twice leaves a gap, a release is idempotent, a read reads again, and both copies of an
 * acquire carry one {@link LockService#OPERATION_ID}, so that at most one of them is granted and
 * a copy decided after the lease was released grants nothing.
 */
@Component
class PreferredNodeFilter implements WebFilter {

    /** Marks a forwarded request: the node that gets it proposes itself and never forwards again. */
    static final String FORWARDED_BY = "Replog-Forwarded-By";

    private static final Logger log = LoggerFactory.getLogger(PreferredNodeFilter.class);
    private static final Pattern ROUTED = Pattern.compile("/(sequences|locks)/([^/]+)(/[a-z]+)?");

    private final String nodeName;
    private final int nodeId;
    private final List<URI> peers;
    private final WebClient client;
    private final JsonMapper json;
    private final Duration operationBound;
    private final MeterRegistry registry;

    PreferredNodeFilter(SyncProperties properties, WebClient.Builder builder, JsonMapper json, MeterRegistry registry) {
        this.nodeName = properties.nodeName();
        this.nodeId = properties.sync().nodeId();
        this.peers = properties.sync().peers();
        this.client = builder.build();
        this.json = json;
        this.operationBound = properties.sync().backoff().giveUpAfter().plus(properties.sync().requestTimeout());
        this.registry = registry;
    }

    /** The 1-based id of the node that proposes for {@code key}. */
    static int preferredNode(String key, int nodes) {
        return Math.floorMod(key.hashCode(), nodes) + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Matcher path = ROUTED.matcher(request.getPath().pathWithinApplication().value());
        if (!path.matches() || request.getHeaders().containsHeader(FORWARDED_BY)) {
            return chain.filter(exchange);
        }
        String key = ("sequences".equals(path.group(1)) ? "seq." : "lock.") + path.group(2);
        int preferred = preferredNode(key, peers.size());
        if (preferred == nodeId) {
            return chain.filter(exchange);
        }
        String sent = request.getHeaders().getFirst(LockService.OPERATION_ID);
        String operationId = sent != null ? sent : UUID.randomUUID().toString();
        return RequestBodies.read(request, -1)
                // relay() completes empty, so the choice is made on the answer, not on what relaying
                // emits: a switchIfEmpty after relaying would run every relayed operation here again
                .flatMap(body -> forward(preferred, request, body, operationId)
                        .map(answer -> relay(exchange, answer))
                        .switchIfEmpty(Mono.fromSupplier(() -> chain.filter(withBody(exchange, body, operationId))))
                        .flatMap(handling -> handling));
    }

    /** The preferred node's answer if it gave a definite one (2xx or 4xx) in time; empty otherwise. */
    private Mono<ResponseEntity<byte[]>> forward(int preferred, ServerHttpRequest request, byte[] body,
            String operationId) {
        URI target = URI.create(peers.get(preferred - 1).toString() + request.getURI().getRawPath()
                + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery()));
        return client.method(request.getMethod()).uri(target)
                .headers(headers -> {
                    copy(request.getHeaders(), headers, HttpHeaders.CONTENT_TYPE);
                    copy(request.getHeaders(), headers, HttpHeaders.ACCEPT);
                    headers.set(FORWARDED_BY, nodeName);
                    headers.set(LockService.OPERATION_ID, operationId);
                })
                .bodyValue(body)
                .exchangeToMono(response -> response.toEntity(byte[].class))
                .timeout(operationBound.plus(waitOf(body)))
                .filter(answer -> !answer.getStatusCode().is5xxServerError())
                .doOnNext(answer -> count("relayed"))
                .onErrorResume(error -> {
                    log.debug("{} proposes itself: preferred node {} did not answer ({})", nodeName, preferred,
                            error.toString());
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.fromRunnable(() -> count("fallback")));
    }

    private Mono<Void> relay(ServerWebExchange exchange, ResponseEntity<byte[]> answer) {
        exchange.getResponse().setStatusCode(answer.getStatusCode());
        copy(answer.getHeaders(), exchange.getResponse().getHeaders(), HttpHeaders.CONTENT_TYPE);
        byte[] bytes = answer.getBody() == null ? new byte[0] : answer.getBody();
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(bytes)));
    }

    /** A lock acquire may wait {@code waitMs} at the preferred node before it answers. */
    private Duration waitOf(byte[] body) {
        try {
            JsonNode wait = json.readTree(body).path("waitMs");
            return wait.isIntegralNumber() && wait.asLong() > 0 ? Duration.ofMillis(wait.asLong()) : Duration.ZERO;
        } catch (RuntimeException e) {
            return Duration.ZERO; // a bad body: the preferred node answers 400 at once
        }
    }

    private void count(String outcome) {
        registry.counter("replog.sync.forwarded", "outcome", outcome).increment();
    }

    /** The request as it came, its body read once more, named by the operation id its forward carried. */
    private static ServerWebExchange withBody(ServerWebExchange exchange, byte[] body, String operationId) {
        ServerHttpRequest named = exchange.getRequest().mutate()
                .headers(headers -> headers.set(LockService.OPERATION_ID, operationId))
                .build();
        ServerHttpRequest request = new ServerHttpRequestDecorator(named) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
        return exchange.mutate().request(request).build();
    }

    private static void copy(HttpHeaders from, HttpHeaders to, String name) {
        List<String> values = from.get(name);
        if (values != null) {
            to.put(name, values);
        }
    }
}
