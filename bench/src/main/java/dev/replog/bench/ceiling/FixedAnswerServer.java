package dev.replog.bench.ceiling;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The stack ceiling of {@code bin/bench-compare}: a Reactor Netty {@link HttpServer} that answers
 * {@code POST /messages} (any query) with a fixed {@code 201}, the headers and the JSON body of the
 * shape replog's master answers with, after reading the request body, and does nothing else. The
 * same load against it and against replog tells how much of the HTTP front end's cost is left for
 * replication and durability: replog's figure as a share of this one.
 *
 * <pre>
 * usage: bench ceiling [--host 127.0.0.1] [--port 0]
 * </pre>
 */
public final class FixedAnswerServer {

    /** The body of every answer, the shape of replog's {@code 201} to {@code POST /messages}. */
    static final String BODY = "{\"seq\":1,\"id\":1,\"w\":3,\"acks\":3}";

    private static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.UTF_8);

    private FixedAnswerServer() {
    }

    /** Binds {@code host:port} (0: a free port) and serves until disposed. */
    public static DisposableServer start(String host, int port) {
        return HttpServer.create()
                .host(host)
                .port(port)
                .route(routes -> routes.post("/messages", FixedAnswerServer::created))
                .bindNow();
    }

    private static Mono<Void> created(HttpServerRequest request, HttpServerResponse response) {
        // the body is read (and released) as replog reads it, then the fixed answer goes out
        return request.receive().then(Mono.defer(() -> response.status(HttpResponseStatus.CREATED)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .header(HttpHeaderNames.LOCATION, "/messages/1")
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(BODY_BYTES.length))
                .sendByteArray(Mono.just(BODY_BYTES))
                .then()));
    }

    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("usage: bench ceiling [--host 127.0.0.1] [--port 0]");
                    System.exit(2);
                }
            }
        }
        DisposableServer server = start(host, port);
        System.out.printf(Locale.ROOT, "ceiling: a fixed 201 to POST /messages on http://%s:%d%n", host, server.port());
        server.onDispose().block();
    }
}
