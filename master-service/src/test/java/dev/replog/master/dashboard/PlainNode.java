package dev.replog.master.dashboard;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/** An in-JVM stand-in for a plain secondary: it has no {@code /faults} and answers 404 problem+json to it. */
final class PlainNode implements AutoCloseable {

    private final LoopResources loops = LoopResources.create("fake-plain", 1, true);
    private final DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
            .handle((request, response) -> response.status(404).header("Content-Type", "application/problem+json")
                    .sendString(Mono.just("{\"status\":404,\"title\":\"Not Found\"}")))
            .bindNow();

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
