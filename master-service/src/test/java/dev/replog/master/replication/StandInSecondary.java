package dev.replog.master.replication;

import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A secondary played by a test: a Reactor Netty server on 127.0.0.1 and a free port, on its own
 * event loop (the Spring context's shutdown disposes the shared reactor-netty resources), that a
 * master under test is pointed at with {@link #asSecondaries()}.
 */
public final class StandInSecondary implements AutoCloseable {

    private final LoopResources loops = LoopResources.create("stand-in-secondary", 1, true);
    private final DisposableServer server;

    public StandInSecondary(BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> handler) {
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops).handle(handler).bindNow();
    }

    /** The value of {@code replog.secondaries} for a cluster of the master and this node, named s1. */
    String asSecondaries() {
        return asSecondary("s1");
    }

    /** This node as one entry of {@code replog.secondaries}: {@code name=url}. */
    public String asSecondary(String name) {
        return name + "=http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
