package dev.replog.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.ReplicationPaths;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Health, metrics and the API description are served. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.reactor.netty.shutdown-quiet-period=0s")
@AutoConfigureWebTestClient
class ObservabilityTest extends SecondaryWebTest {

    @Test
    void healthIsUp() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.logStore.status").isEqualTo("UP");
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.logStore.status").isEqualTo("UP");
    }

    @Test
    void prometheusShowsTheReplicaMeters() {
        client.post().uri(ReplicationPaths.APPEND)
                .bodyValue("{\"epoch\":1,\"prevSeq\":0,\"prevId\":0,\"entries\":[{\"seq\":1,\"id\":10,\"message\":\"m\"}]}")
                .header("Content-Type", "application/json")
                .exchange()
                .expectStatus().isOk();

        // http.server.requests times what WebFlux serves (the append above took the direct path);
        // a request's timer is recorded as its exchange completes, which may trail its answer
        client.get().uri(ReplicationPaths.STATUS).exchange().expectStatus().isOk();
        String scrape = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(this::scrape, body -> body.contains("http_server_requests_seconds"));

        assertThat(scrape)
                .contains("replog_secondary_acked_seq{")
                .contains("replog_secondary_pending_entries{")
                .contains("replog_secondary_appended_entries_total{")
                .contains("replog_secondary_duplicate_entries_total{")
                .contains("replog_secondary_rejected_batches_total{")
                .contains("reason=\"stale-epoch\"")
                .contains("reason=\"gap\"")
                .contains("reason=\"mismatch\"")
                .contains("replog_log_append_seconds_bucket{")
                .contains("replog_log_fsync_seconds_bucket{")
                .contains("http_server_requests_seconds");
        assertThat(scrape.lines().filter(line -> line.startsWith("replog_log_append_seconds_count{")))
                .singleElement().asString().endsWith(" 1");
        assertThat(scrape.lines().filter(line -> line.startsWith("replog_log_fsync_seconds_count{")))
                .as("the append was answered once durable").singleElement().asString().doesNotEndWith(" 0");
        assertThat(scrape.lines().filter(line -> line.startsWith("replog_secondary_acked_seq{")))
                .singleElement().asString().endsWith(" 1.0");
    }

    @Test
    void actuatorInfoTellsTheVersionAndTheBuild() {
        client.get().uri("/actuator/info").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.build.version").isNotEmpty()
                .jsonPath("$.build.artifact").isEqualTo("secondary-service");
    }

    @Test
    void theMetricsEndpointListsTheReplicaMeters() {
        client.get().uri("/actuator/metrics/replog.secondary.acked.seq").exchange()
                .expectStatus().isOk();
    }

    @Test
    void theOpenapiDocumentDescribesEveryEndpoint() {
        // building the document takes seconds on a loaded machine
        client.mutate().responseTimeout(Duration.ofSeconds(30)).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/replication/append'].post").exists()
                .jsonPath("$.paths['/replication/status'].get").exists()
                .jsonPath("$.paths['/messages'].get").exists()
                .jsonPath("$.paths['/messages/{seq}'].get").exists()
                .jsonPath("$.paths['/replication/append'].post.responses['409']").exists();
    }

    @Test
    void swaggerUiIsServed() {
        String location = client.get().uri("/swagger-ui.html").exchange()
                .expectStatus().isEqualTo(HttpStatus.FOUND)
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();

        client.get().uri(location).exchange().expectStatus().isOk();
    }

    private String scrape() {
        return client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
