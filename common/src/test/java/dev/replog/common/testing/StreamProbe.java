package dev.replog.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.Collections;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * Follows {@code GET /messages/stream} of a node running on 127.0.0.1 over real HTTP, as a
 * browser's {@code EventSource} would: the master's and the secondary's tests check with it that
 * the stream answers at once and keeps a quiet connection alive.
 */
public final class StreamProbe {

    private final HttpClient http;

    public StreamProbe(int port) {
        this.http = HttpClient.create().baseUrl("http://127.0.0.1:" + port);
    }

    /**
     * The status line and headers of a new stream arrive within a second though it has no entry to
     * send, and its first three comment lines, {@code :keep-alive} each, within {@code within}.
     */
    public void assertAnswersAtOnceAndKeepsAlive(Duration within) {
        assertHeadersArriveAtOnce();
        assertKeepAlives(3, within);
    }

    private void assertHeadersArriveAtOnce() {
        // the first request loads classes and connects: not part of what is measured
        http.get().uri("/actuator/health").response().block(Duration.ofSeconds(10));
        StepVerifier.create(http.get().uri("/messages/stream").response())
                .assertNext(response -> {
                    assertThat(response.status().code()).isEqualTo(200);
                    assertThat(response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/event-stream");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(1));
    }

    private void assertKeepAlives(int count, Duration within) {
        StepVerifier.create(http.get().uri("/messages/stream").responseContent().asString()
                        .flatMapIterable(chunk -> chunk.lines().toList())
                        .filter(line -> line.startsWith(":"))
                        .take(count))
                .expectNextSequence(Collections.nCopies(count, ":keep-alive"))
                .expectComplete()
                .verify(within);
    }
}
