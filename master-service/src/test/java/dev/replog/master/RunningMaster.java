package dev.replog.master;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Helpers for tests that start and stop master contexts themselves (restarts on one data dir):
 * starting one, a client of a running context, its {@code /health}, and waiting for a mode.
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

    /**
     * Starts a master on a free port of 127.0.0.1 with {@code dataDir}, heartbeats every 100 ms and
     * {@code args} (its secondaries, its sync nodes, ...).
     */
    public static ConfigurableApplicationContext start(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--replog.data-dir=" + dataDir, "--spring.main.banner-mode=off", "--replog.heartbeat.interval=100ms",
                "--spring.reactor.netty.shutdown-quiet-period=0s"));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(MasterApplication.class).run(all.toArray(String[]::new));
    }

    /** Waits (up to 20 s) until {@code /health} shows {@code mode}. */
    public static void awaitMode(WebTestClient web, String mode) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> mode.equals(health(web).path("mode").asString()));
    }
}
