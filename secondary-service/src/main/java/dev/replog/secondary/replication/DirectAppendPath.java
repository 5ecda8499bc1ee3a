package dev.replog.secondary.replication;

import dev.replog.common.protocol.ActiveMaster;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.web.BadRequestException;
import dev.replog.common.web.ClusterSettings;
import dev.replog.common.web.DirectRoutes;
import dev.replog.common.web.ProblemHandler;
import dev.replog.common.web.RequestBodies;
import dev.replog.secondary.config.SecondaryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@code POST /replication/append}, the request every replicated write waits for, straight
 * from the server's request, ahead of WebFlux's dispatch (see {@link DirectRoutes}): the master
 * sends hundreds of batches a second to each secondary, and per batch WebFlux's machinery cost
 * the secondary more CPU than storing the batch.
 *
 * <p>It takes only the plain case, and hands it to {@link ReplicationController#append}, the very
 * handler WebFlux would call: a JSON body and answer, the exact path, the cluster secret right
 * (when one is set), and no {@link DirectAppendGate} closed (the faulty-secondary closes it while a
 * fault is switched on, so that its fault filter sees every append). Everything else, a refusal
 * for a wrong secret included, goes on to WebFlux and its filters, so it reads exactly as before.
 * A malformed batch is a 400 problem, the same status and detail WebFlux gives it. The appends it
 * serves are timed as {@code replog.replication.requests} (not in {@code http.server.requests}).
 */
@Component
class DirectAppendPath implements WebHttpHandlerBuilderCustomizer {

    private final ReplicationController controller;
    private final JsonMapper json;
    private final ClusterSettings cluster;
    private final List<DirectAppendGate> gates;
    private final DirectRoutes routes;
    private final DirectRoutes.Route appends;
    private final int maxBodyBytes;

    DirectAppendPath(ReplicationController controller, JsonMapper json, SecondaryProperties properties,
            List<DirectAppendGate> gates, ServerCodecConfigurer codecs, MeterRegistry meters,
            @Value("${spring.http.codecs.max-in-memory-size:256KB}") DataSize maxBodySize) {
        this.controller = controller;
        this.json = json;
        this.cluster = properties.cluster();
        this.gates = List.copyOf(gates);
        this.routes = new DirectRoutes(codecs, json, meters, "replog.replication.requests",
                "Append requests served by the direct append path, from arrival to the answer");
        this.appends = routes.route(ReplicationPaths.APPEND);
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, maxBodySize.toBytes());
    }

    @Override
    public void customize(WebHttpHandlerBuilder builder) {
        builder.httpHandlerDecorator(webflux -> (request, response) -> handle(request, response, webflux));
    }

    Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response, HttpHandler webflux) {
        if (!takes(request)) {
            return webflux.handle(request, response);
        }
        return appends.respond(request, response, () -> RequestBodies.read(request, maxBodyBytes)
                .flatMap(body -> controller.append(parse(body), request.getHeaders().getFirst(ActiveMaster.HEADER)))
                .map(appended -> routes.json(HttpStatus.OK, appended, headers -> { })));
    }

    private boolean takes(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST
                && ReplicationPaths.APPEND.equals(request.getURI().getRawPath())
                && DirectRoutes.sendsAndAcceptsJson(request.getHeaders(), false)
                && (!cluster.secured() || cluster.admits(request.getHeaders().getFirst(ClusterSettings.SECRET_HEADER)))
                && gates.stream().allMatch(DirectAppendGate::open);
    }

    private AppendRequest parse(byte[] body) {
        try {
            return json.readValue(body, AppendRequest.class);
        } catch (JacksonException | IllegalArgumentException e) {
            // the detail WebFlux's decoder and ProblemHandler give a body that does not read
            throw new BadRequestException("Failed to read HTTP message: " + ProblemHandler.rootMessage(e));
        }
    }
}
