package dev.replog.master;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Helpers for tests that start and stop master contexts themselves (restarts on one data dir): a
 * client of a running context, its {@code /health}, and waiting for a mode.
 */
public final class RunningMaster {

    private RunningMaster() {
    }

    /** A client of the context's server on 127.0.0.1. */
    public static WebTestClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The master's {@code GET /health} body. */
    public static JsonNode health(WebTestClient web) {
        return web.get().uri("/health").exchange().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Waits (up to 20 s) until {@code /health} shows {@code mode}. */
    public static void awaitMode(WebTestClient web, String mode) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> mode.equals(health(web).path("mode").asString()));
    }
}
