package dev.replog.master.dashboard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * An in-JVM stand-in for a faulty-secondary's {@code /faults}: GET answers the settings, PUT
 * {@code {"down": true|false}} switches {@code down}, any other body is refused with 400 as the real
 * node does. {@link #slow} makes every answer come later than the master waits.
 */
final class FakeFaultyNode implements AutoCloseable {

    private final AtomicReference<Boolean> down = new AtomicReference<>(false);
    private volatile Duration slow = Duration.ZERO;
    // Its own event loop: a Spring context that closes disposes the shared reactor-netty resources.
    private final LoopResources loops = LoopResources.create("fake-faulty", 1, true);
    private final DisposableServer server;

    FakeFaultyNode() {
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes
                        .get("/faults", (request, response) -> later(settings(response)))
                        .put("/faults", (request, response) -> request.receive().aggregate().asString()
                                .defaultIfEmpty("")
                                .flatMap(body -> later(change(body, response)))))
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    boolean down() {
        return down.get();
    }

    void slow(Duration delay) {
        slow = delay;
    }

    private Mono<Void> later(Mono<Void> answer) {
        return slow.isZero() ? answer : Mono.delay(slow).then(answer);
    }

    private Mono<Void> change(String body, HttpServerResponse response) {
        String compact = body.replaceAll("\\s", "");
        if (compact.equals("{\"down\":true}") || compact.equals("{\"down\":false}")) {
            down.set(compact.contains("true"));
            return settings(response);
        }
        return response.status(400).header("Content-Type", "application/problem+json")
                .sendString(Mono.just("{\"status\":400,\"title\":\"Bad request\","
                        + "\"detail\":\"delayMs must be 0..60000 ms, was -1\"}")).then();
    }

    private Mono<Void> settings(HttpServerResponse response) {
        return response.status(200).header("Content-Type", "application/json")
                .sendString(Mono.just("{\"errorBeforeAppend\":0.0,\"errorAfterAppend\":0.0,\"delayMs\":0,"
                        + "\"delayJitterMs\":0,\"down\":" + down.get() + "}")).then();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
