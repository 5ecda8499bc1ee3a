package dev.replog.common.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the endpoints served straight from the server's request, ahead of WebFlux's dispatch, share
 * (the master's writes, a secondary's appends): which requests they may take, how they answer, and
 * their timers. Per request WebFlux builds an exchange, runs the filter chain, maps the handler,
 * resolves arguments and negotiates content; on two cores shared by every node that cost more CPU
 * than the work behind the hottest endpoints (docs/decisions/0001-direct-write-paths.md). Everything a
 * direct route does not take goes on to WebFlux, whose controllers stay what the OpenAPI document
 * describes.
 */
public final class DirectRoutes {

    private final ProblemWriter problems;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final String metric;
    private final String description;

    /**
     * @param metric      the timer every route records its requests in, tagged {@code uri} and
     *                    {@code status} (these requests are not in {@code http.server.requests})
     * @param description the timer's description
     */
    public DirectRoutes(ServerCodecConfigurer codecs, JsonMapper json, MeterRegistry meters, String metric,
            String description) {
        this.problems = new ProblemWriter(codecs);
        this.json = json;
        this.meters = meters;
        this.metric = metric;
        this.description = description;
    }

    /** The route for requests to {@code uri} (the timer tag). */
    public Route route(String uri) {
        return new Route(uri);
    }

    /**
     * Whether the request sends JSON and accepts a JSON answer, as a controller consuming and
     * producing {@code application/json} would take it: a JSON {@code Content-Type}
     * ({@code application/*+json} too when {@code plusJson}) and no {@code Accept}, or one that
     * admits JSON. Anything else (a 415, a 406 to answer) is WebFlux's.
     */
    public static boolean sendsAndAcceptsJson(HttpHeaders headers, boolean plusJson) {
        String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = "application".equals(type.getType()) && ("json".equals(type.getSubtype())
                    || plusJson && type.getSubtype().endsWith("+json"));
            return json && (headers.getFirst(HttpHeaders.ACCEPT) == null
                    || headers.getAccept().stream().anyMatch(MediaType.APPLICATION_JSON::isCompatibleWith));
        } catch (InvalidMediaTypeException malformed) {
            return false;
        }
    }

    /**
     * {@code body} as a JSON answer with {@code status}; encoded now, so that an encoding failure
     * is answered as an error, and {@code headers} may add headers when it is sent.
     */
    public Answer json(HttpStatusCode status, Object body, Consumer<HttpHeaders> headers) {
        byte[] bytes = json.writeValueAsBytes(body);
        return response -> {
            response.setStatusCode(status);
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            headers.accept(response.getHeaders());
            return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
        };
    }

    /**
     * A response ready to send. Outcomes become answers first and are sent after the error mapping,
     * so that a failure while sending (the client went away) is not answered a second time.
     */
    @FunctionalInterface
    public interface Answer {
        Mono<Void> sendTo(ServerHttpResponse response);
    }

    /** One endpoint: answers its requests and times them by status. */
    public final class Route {

        private final String uri;
        private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

        private Route(String uri) {
            this.uri = uri;
        }

        /**
         * Answers the request with the outcome {@code handling} supplies; an error (also one thrown
         * while supplying it) becomes the problem+json {@link ProblemHandler} would answer.
         */
        public Mono<Void> respond(ServerHttpRequest request, ServerHttpResponse response,
                Supplier<Mono<Answer>> handling) {
            long started = System.nanoTime();
            return Mono.defer(handling)
                    .onErrorResume(error -> Mono.just(answered -> {
                        if (error instanceof ReplogException replog) {
                            replog.addHeaders(answered.getHeaders(), request);
                        }
                        return problems.write(answered, ProblemHandler.problemOf(error, request));
                    }))
                    .flatMap(answer -> answer.sendTo(response))
                    .doOnSuccess(sent -> timer(response).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        }

        /**
         * One timer per status, registered once: a registry lookup per request costs CPU. It
         * publishes histogram buckets: percentiles of one node cannot be added up, buckets can, so
         * a cluster-wide p99 is {@code histogram_quantile} over their sum.
         */
        private Timer timer(ServerHttpResponse response) {
            HttpStatusCode code = response.getStatusCode();
            int status = code == null ? 200 : code.value();
            return timers.computeIfAbsent(status, key -> Timer.builder(metric)
                    .description(description)
                    .tag("uri", uri)
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }
}
