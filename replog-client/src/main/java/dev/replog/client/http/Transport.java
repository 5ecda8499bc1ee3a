package dev.replog.client.http;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * HTTP to replog nodes over one Reactor Netty connection pool: requests answered whole
 * ({@link #post}, {@link #get}) and streamed bodies ({@link #stream}). Redirects are never followed
 * here: where a write goes is the writer's decision.
 */
public final class Transport implements AutoCloseable {

    /** The answer headers the client acts on. */
    private static final List<String> KEPT_HEADERS = List.of("location", "retry-after", "content-type");
    private static final byte[] EMPTY = new byte[0];

    private final ConnectionProvider pool;
    private final HttpClient http;
    private final Duration connectTimeout;

    /**
     * @param connectTimeout how long opening a connection may take before the node counts as unreachable
     * @param maxConnections connections per node; callers beyond wait for one
     */
    public Transport(Duration connectTimeout, int maxConnections) {
        this.connectTimeout = connectTimeout;
        this.pool = ConnectionProvider.builder("replog-client")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                // a node that was killed leaves dead connections behind: do not keep idle ones for long
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        this.http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .followRedirect(false);
    }

    /** POSTs {@code json} to {@code node}; the answer, whatever its status, or an error when none came. */
    public Mono<Answer> post(URI node, String pathAndQuery, byte[] json, Map<String, String> headers,
            Duration timeout) {
        return http.headers(h -> {
                    h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    h.set(HttpHeaderNames.ACCEPT, "application/json, application/problem+json");
                    headers.forEach(h::set);
                })
                .responseTimeout(timeout)
                .post()
                .uri(node + pathAndQuery)
                .send(ByteBufFlux.fromInbound(Mono.just(json)))
                .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(EMPTY)
                        .map(bytes -> new Answer(response.status().code(), kept(response.responseHeaders()), bytes)))
                // a bound on the whole exchange, for a connection that neither answers nor fails
                .timeout(timeout.plus(connectTimeout));
    }

    /** GETs {@code pathAndQuery} from {@code node}, answered whole. */
    public Mono<Answer> get(URI node, String pathAndQuery, Duration timeout) {
        return http.headers(h -> h.set(HttpHeaderNames.ACCEPT, "application/json, application/problem+json"))
                .responseTimeout(timeout)
                .get()
                .uri(node + pathAndQuery)
                .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(EMPTY)
                        .map(bytes -> new Answer(response.status().code(), kept(response.responseHeaders()), bytes)))
                .timeout(timeout.plus(connectTimeout));
    }

    /**
     * The body of a GET as it arrives, chunk by chunk; a status other than 200 ends it with
     * {@link RefusedException}. Never times out by itself: the caller bounds the silence it accepts.
     */
    public Flux<byte[]> stream(URI node, String pathAndQuery, Map<String, String> headers) {
        return http.headers(h -> headers.forEach(h::set))
                .get()
                .uri(node + pathAndQuery)
                .response((response, body) -> response.status().code() == 200
                        ? body.asByteArray()
                        : body.aggregate().asByteArray().defaultIfEmpty(EMPTY).flatMapMany(bytes -> Flux.error(
                                new RefusedException(new Answer(response.status().code(),
                                        kept(response.responseHeaders()), bytes)))));
    }

    /**
     * True when {@code error} shows that the request never left: the connection could not be
     * opened. Anything else (a timeout, a connection closed before the answer) may have reached the
     * node.
     */
    public static boolean notSent(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> kept(HttpHeaders headers) {
        Map<String, String> kept = new HashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = headers.get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        return kept;
    }

    @Override
    public void close() {
        pool.dispose();
    }

    /** A streamed request answered with another status than 200. */
    public static final class RefusedException extends RuntimeException {

        private final transient Answer answer;

        public RefusedException(Answer answer) {
            super("HTTP " + answer.status() + ": " + new String(answer.body(), StandardCharsets.UTF_8));
            this.answer = answer;
        }

        public Answer answer() {
            return answer;
        }
    }
}
