package dev.replog.master.api;

import dev.replog.common.web.DirectRoutes;
import dev.replog.common.web.ProblemHandler;
import dev.replog.common.web.RequestBodies;
import dev.replog.master.write.WriteService;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
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
 * requests/s here, the same endpoint at this level 73k; docs/decisions/0001-direct-write-paths.md).
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
    private final DirectRoutes routes;
    private final DirectRoutes.Route messages;
    private final DirectRoutes.Route batches;
    private final int maxBodyBytes;

    DirectWritePath(WriteRequestParser parser, WriteService writes, JsonMapper json, ServerCodecConfigurer codecs,
            MeterRegistry meters, @Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBodySize) {
        this.parser = parser;
        this.writes = writes;
        this.routes = new DirectRoutes(codecs, json, meters, "replog.write.requests",
                "Write requests served by the direct write path, from arrival to the answer");
        this.messages = routes.route(MESSAGES);
        this.batches = routes.route(BATCH);
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
        MultiValueMap<String, String> query = request.getQueryParams();
        String w = query.getFirst("w");
        String timeoutMs = query.getFirst("timeoutMs");
        String key = request.getHeaders().getFirst("Idempotency-Key");
        return (batch ? batches : messages).respond(request, response, () -> RequestBodies.read(request, maxBodyBytes)
                .flatMap(body -> batch
                        ? writes.writeBatch(parser.parseBatch(body, w, timeoutMs, key))
                                .map(result -> answer(result.replay(), result.first(), result))
                        : writes.write(parser.parse(body, w, timeoutMs, key))
                                .map(result -> answer(result.replay(), result.seq(), result))));
    }

    /** What WebFlux would route to {@link MessagesController} without a 415, 406 or an ambiguous query. */
    private static boolean plain(ServerHttpRequest request) {
        return DirectRoutes.sendsAndAcceptsJson(request.getHeaders(), true)
                && once(request.getQueryParams().get("w")) && once(request.getQueryParams().get("timeoutMs"));
    }

    private static boolean once(List<String> values) {
        return values == null || values.size() == 1;
    }

    private DirectRoutes.Answer answer(boolean replay, long seq, Object result) {
        return routes.json(statusOf(replay), result, headers -> headers.set(HttpHeaders.LOCATION, locationOf(seq)));
    }

    /** 201 for a new entry; 200 for a replayed Idempotency-Key (nothing appended). */
    static HttpStatus statusOf(boolean replay) {
        return replay ? HttpStatus.OK : HttpStatus.CREATED;
    }

    /** The entry's (a batch's first entry's) address; a plain string, no URI parsed per write. */
    static String locationOf(long seq) {
        return MESSAGES + "/" + seq;
    }
}
