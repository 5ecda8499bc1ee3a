package dev.replog.faulty;

import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.web.ClusterSecretFilter;
import dev.replog.faulty.InjectedFaults.Kind;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Injects the {@link Faults} in force into {@code /replication/**}, in this order: {@code down}
 * (503 to appends and heartbeats), the delay (for every replication request), then, for appends
 * only, {@code errorBeforeAppend} (500, nothing stored) or {@code errorAfterAppend} (stored, then
 * answered 500: the master must retry and the retry must be deduplicated). Public reads, actuator
 * and {@code /faults} are never affected. The settings are read once, when a request arrives. It
 * runs after the cluster secret's filter: an outsider gets 401, never a fault.
 */
@Component
class FaultFilter implements WebFilter, Ordered {

    /** After the cluster secret's filter. */
    static final int ORDER = ClusterSecretFilter.ORDER + 100;

    private static final Logger log = LoggerFactory.getLogger(FaultFilter.class);
    private static final String REPLICATION_PREFIX = "/replication/";

    private final Faults faults;
    private final InjectedFaults injected;
    private final FaultProblemWriter problems;
    private final BatchReader batches;

    FaultFilter(Faults faults, InjectedFaults injected, FaultProblemWriter problems, BatchReader batches) {
        this.faults = faults;
        this.injected = injected;
        this.problems = problems;
        this.batches = batches;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(REPLICATION_PREFIX)) {
            return chain.filter(exchange);
        }
        FaultSettings settings = faults.current();
        if (settings.down()) {
            return answerDown(exchange, path);
        }
        Mono<Void> proceed = Mono.defer(() -> proceed(exchange, chain, settings, path));
        long delayMs = delayOf(settings);
        if (delayMs == 0) {
            return proceed;
        }
        injected.count(Kind.DELAY);
        log.info("injected delay of {} ms on {} {}", delayMs, exchange.getRequest().getMethod(), path);
        return Mono.delay(Duration.ofMillis(delayMs)).then(proceed);
    }

    private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, FaultSettings settings, String path) {
        boolean append = HttpMethod.POST.equals(exchange.getRequest().getMethod()) && path.equals(ReplicationPaths.APPEND);
        if (append && happens(settings.errorBeforeAppend())) {
            return failBeforeAppend(exchange, path);
        }
        if (append && happens(settings.errorAfterAppend())) {
            return failAfterAppend(exchange, chain, path);
        }
        return chain.filter(exchange);
    }

    private Mono<Void> answerDown(ServerWebExchange exchange, String path) {
        injected.count(Kind.DOWN);
        log.info("injected down: answered 503 to {} {}", exchange.getRequest().getMethod(), path);
        return problems.write(exchange.getResponse(), path, HttpStatus.SERVICE_UNAVAILABLE, "Down",
                "this node is down (injected fault): replication and heartbeats are refused", Kind.DOWN);
    }

    private Mono<Void> failBeforeAppend(ServerWebExchange exchange, String path) {
        return batches.read(exchange.getRequest())
                .flatMap(body -> {
                    injected.count(Kind.ERROR_BEFORE_APPEND);
                    log.info("injected errorBeforeAppend for {}: answered 500, nothing stored", batches.describe(body));
                    return problems.write(exchange.getResponse(), path, HttpStatus.INTERNAL_SERVER_ERROR,
                            "Injected fault", "errorBeforeAppend: the batch was not stored", Kind.ERROR_BEFORE_APPEND);
                })
                .onErrorResume(DataBufferLimitException.class,
                        tooLarge -> problems.writeTooLarge(exchange.getResponse(), path));
    }

    /** Lets the append happen (the body is replayed to it), then replaces its answer by a 500. */
    private Mono<Void> failAfterAppend(ServerWebExchange exchange, WebFilterChain chain, String path) {
        return batches.read(exchange.getRequest())
                .flatMap(body -> {
                    String batch = batches.describe(body);
                    ServerHttpRequest replayed = batches.replayed(exchange.getRequest(), body);
                    AnswerReplacingResponse response = new AnswerReplacingResponse(exchange.getResponse(), real -> {
                        injected.count(Kind.ERROR_AFTER_APPEND);
                        log.info("injected errorAfterAppend for {}: handled (answer was {}), answered 500",
                                batch, real.getStatusCode());
                        return problems.write(real, path, HttpStatus.INTERNAL_SERVER_ERROR, "Injected fault",
                                "errorAfterAppend: the batch was handled, its answer replaced", Kind.ERROR_AFTER_APPEND);
                    });
                    return chain.filter(exchange.mutate().request(replayed).response(response).build());
                })
                .onErrorResume(DataBufferLimitException.class,
                        tooLarge -> problems.writeTooLarge(exchange.getResponse(), path));
    }

    private static long delayOf(FaultSettings settings) {
        long jitter = settings.delayJitterMs() > 0
                ? ThreadLocalRandom.current().nextLong(settings.delayJitterMs() + 1)
                : 0;
        return settings.delayMs() + jitter;
    }

    private static boolean happens(double probability) {
        return probability > 0 && ThreadLocalRandom.current().nextDouble() < probability;
    }
}
