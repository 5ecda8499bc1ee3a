package dev.replog.client.testing;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A node played by a tiny Reactor Netty server on 127.0.0.1 and a free port, for protocol edge
 * cases the real nodes do not show on demand (a 307 chain, a 503 with Retry-After, a dropped
 * connection). Every request is recorded.
 */
public final class FakeNode implements AutoCloseable {

    /** A request as the node saw it. */
    public record Request(String method, String uri, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * What the node answers: a status, headers and a body, or a stream of text chunks, or
     * {@link #DROP} to close the connection without an answer.
     */
    public record Reply(int status, Map<String, String> headers, String body, Flux<String> stream) {
        public static Reply of(int status, String body, String... headers) {
            Map<String, String> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < headers.length; i += 2) {
                map.put(headers[i], headers[i + 1]);
            }
            return new Reply(status, map, body, null);
        }

        public static Reply json(int status, String body) {
            return of(status, body, "Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        }

        public static Reply stream(Flux<String> chunks) {
            return new Reply(200, Map.of("Content-Type", "text/event-stream"), null, chunks);
        }
    }

    /** Closes the connection without answering. */
    public static final Reply DROP = new Reply(-1, Map.of(), null, null);

    private final DisposableServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeNode(Function<Request, Reply> handler) {
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            Map<String, String> headers = new java.util.HashMap<>();
                            request.requestHeaders().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT),
                                    h.getValue()));
                            Request seen = new Request(request.method().name(), request.uri(), headers, body);
                            requests.add(seen);
                            return Mono.just(handler.apply(seen));
                        })
                        .flatMapMany(reply -> {
                            if (reply == DROP) {
                                return Mono.<Void>fromRunnable(() -> response.withConnection(c -> c.channel().close()));
                            }
                            response.status(HttpResponseStatus.valueOf(reply.status()));
                            reply.headers().forEach(response::header);
                            if (reply.stream() != null) {
                                return response.sendString(reply.stream()).then();
                            }
                            return response.sendString(Mono.just(reply.body())).then();
                        }))
                .bindNow();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A URL on which nothing listens: a port this JVM bound and released. */
    public static String deadUrl() {
        DisposableServer probe = HttpServer.create().host("127.0.0.1").port(0).bindNow();
        int port = probe.port();
        probe.disposeNow();
        return "http://127.0.0.1:" + port;
    }

    /** Stops listening; a stream still open (one that never ends) is cut after half a second. */
    @Override
    public void close() {
        try {
            server.disposeNow(Duration.ofMillis(500));
        } catch (IllegalStateException streamStillOpen) {
            // the channel is closed; only the wait for its handler to finish was cut short
        }
    }
}
