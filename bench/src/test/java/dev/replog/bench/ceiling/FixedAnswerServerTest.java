package dev.replog.bench.ceiling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;

/** The stack-ceiling server answers a write as replog's master does, and nothing more. */
class FixedAnswerServerTest {

    @Test
    void aPostToMessagesIsAnsweredWithAFixed201InReplogsShape() throws Exception {
        DisposableServer server = FixedAnswerServer.start("127.0.0.1", 0);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/messages?w=3"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"" + "x".repeat(100) + "\"}"))
                    .build();

            for (int i = 0; i < 3; i++) { // keep-alive: the same answer each time
                HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(201);
                assertThat(answer.body()).isEqualTo("{\"seq\":1,\"id\":1,\"w\":3,\"acks\":3}");
                assertThat(answer.headers().firstValue("Location")).hasValue("/messages/1");
            }
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        } finally {
            server.disposeNow();
        }
    }
}
