package dev.replog.master.api;

import dev.replog.common.web.ProblemHandler;
import dev.replog.common.web.ProblemWriter;
import dev.replog.common.web.RequestBodies;
import dev.replog.master.write.WriteService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the two write endpoints, {@code POST /messages} and {@code POST /messages/batch}, straight
 * from the server's request, ahead of WebFlux's dispatch: no exchange, filter chain, handler
 * mapping, argument resolution or content negotiation per write. On two cores shared by every node
 * that machinery cost more CPU than the write itself (a no-op annotated endpoint answered 29k
 * requests/s here, the same endpoint at this level 73k; see the README's Performance section).
 *
 * <p>It takes only the plain case: a JSON {@code Content-Type}, no {@code Accept} that excludes
 * JSON, each of {@code w} and {@code timeoutMs} at most once. Everything else goes on to WebFlux
 * and {@link MessagesController}, which parses and writes through the same {@link WriteRequestParser}
 * and {@link WriteService} and is what the OpenAPI document describes, so a 415, a 406 or an
 * ambiguous query reads exactly as before. Errors become the same problem+json as
 * {@link ProblemHandler}'s. The requests it serves are timed as {@code replog.write.requests}
 * (they bypass WebFlux's {@code http.server.requests}).
 */
@Component
class DirectWritePath implements WebHttpHandlerBuilderCustomizer {

    static final String MESSAGES = "/messages";
    static final String BATCH = "/messages/batch";

    private final WriteRequestParser parser;
    private final WriteService writes;
    private final JsonMapper json;
    private final ProblemWriter problems;
    private final int maxBodyBytes;
    private final MeterRegistry meters;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

    DirectWritePath(WriteRequestParser parser, WriteService writes, JsonMapper json, ServerCodecConfigurer codecs,
            MeterRegistry meters, @Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBodySize) {
        this.parser = parser;
        this.writes = writes;
        this.json = json;
        this.problems = new ProblemWriter(codecs);
        this.meters = meters;
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, maxBodySize.toBytes());
    }

    @Override
    public void customize(WebHttpHandlerBuilder builder) {
        builder.httpHandlerDecorator(webflux -> (request, response) -> handle(request, response, webflux));
    }

    Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response, HttpHandler webflux) {
        if (request.getMethod() != HttpMethod.POST) {
            return webflux.handle(request, response);
        }
        String path = request.getURI().getRawPath();
        boolean batch = BATCH.equals(path);
        if (!(batch || MESSAGES.equals(path)) || !plain(request)) {
            return webflux.handle(request, response);
        }
        long started = System.nanoTime();
        MultiValueMap<String, String> query = request.getQueryParams();
        String w = query.getFirst("w");
        String timeoutMs = query.getFirst("timeoutMs");
        String key = request.getHeaders().getFirst("Idempotency-Key");
        return RequestBodies.read(request, maxBodyBytes)
                .flatMap(body -> batch
                        ? writes.writeBatch(parser.parseBatch(body, w, timeoutMs, key))
                                .map(result -> answer(response, result.replay(), result.first(), result))
                        : writes.write(parser.parse(body, w, timeoutMs, key))
                                .map(result -> answer(response, result.replay(), result.seq(), result)))
                .onErrorResume(error -> Mono.just(() -> problems.write(response, ProblemHandler.problemOf(error, request))))
                .flatMap(Answer::send)
                .doOnSuccess(sent -> timer(batch, response).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }

    /** What WebFlux would route to {@link MessagesController} without a 415, 406 or an ambiguous query. */
    private static boolean plain(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        String accept = headers.getFirst(HttpHeaders.ACCEPT);
        try {
            return contentType != null && isJson(MediaType.parseMediaType(contentType))
                    && (accept == null || headers.getAccept().stream().anyMatch(MediaType.APPLICATION_JSON::isCompatibleWith))
                    && once(request.getQueryParams().get("w")) && once(request.getQueryParams().get("timeoutMs"));
        } catch (InvalidMediaTypeException malformed) {
            return false;
        }
    }

    /** {@code application/json} or {@code application/*+json}, as the controller consumes. */
    private static boolean isJson(MediaType type) {
        return "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }

    private static boolean once(List<String> values) {
        return values == null || values.size() == 1;
    }

    private Answer answer(ServerHttpResponse response, boolean replay, long seq, Object result) {
        byte[] body = json.writeValueAsBytes(result);
        return () -> {
            response.setStatusCode(statusOf(replay));
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            response.getHeaders().set(HttpHeaders.LOCATION, locationOf(seq));
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }

    /** 201 for a new entry; 200 for a replayed Idempotency-Key (nothing appended). */
    static HttpStatus statusOf(boolean replay) {
        return replay ? HttpStatus.OK : HttpStatus.CREATED;
    }

    /** The entry's (a batch's first entry's) address; a plain string, no URI parsed per write. */
    static String locationOf(long seq) {
        return MESSAGES + "/" + seq;
    }

    /** One timer per endpoint and status, registered once: a registry lookup per write costs CPU. */
    private Timer timer(boolean batch, ServerHttpResponse response) {
        int status = response.getStatusCode().value();
        return timers.computeIfAbsent(status * 2 + (batch ? 1 : 0), key -> Timer.builder("replog.write.requests")
                .description("Write requests served by the direct write path, from arrival to the answer")
                .tag("uri", batch ? BATCH : MESSAGES)
                .tag("status", Integer.toString(status))
                .register(meters));
    }

    /**
     * A response ready to send. Outcomes become answers first and are sent after the error mapping,
     * so that a failure while sending (the client went away) is not answered a second time.
     */
    @FunctionalInterface
    private interface Answer {
        Mono<Void> send();
    }
}
