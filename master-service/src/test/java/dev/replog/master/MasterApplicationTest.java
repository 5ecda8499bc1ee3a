package dev.replog.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The master on its own, new (empty data dir), configured with two secondaries that never answer:
 * it cannot know whether they hold entries it lacks, so it stays RECOVERING, says so on /health
 * and in 503 bodies, and still serves reads, its OpenAPI document and its metrics; its event loops
 * are io_uring ones wherever the kernel allows io_uring.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        // port 9 (discard) on loopback: nothing listens, every heartbeat fails at once
        "replog.secondaries=s1=http://127.0.0.1:9,s2=http://127.0.0.1:9/b",
        "replog.heartbeat.interval=100ms"})
@AutoConfigureWebTestClient
class MasterApplicationTest extends MasterWebTest {

    @Test
    void beforeHearingTheSecondariesWritesAnswer503ProblemSayingRecoveringAndHowManyNodesAreUp() {
        awaitFirstRecoveryAttempt();
        web.post().uri("/messages").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"a\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.mode").isEqualTo("RECOVERING")
                .jsonPath("$.title").isEqualTo("Recovering")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("(heard 0 of 2 secondaries; need every secondary (this master has no state of its own))"))
                .jsonPath("$.nodesUp").isEqualTo(1)
                .jsonPath("$.quorum").isEqualTo(2);
        web.get().uri("/messages").exchange().expectStatus().isOk().expectBody().json("[]");
    }

    @Test
    void servesOverIoUringWhereTheKernelOffersIt() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable here: " + IoUring.unavailabilityCause());

        web.get().uri("/health").exchange().expectStatus().isOk();

        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("reactor-http-io_uring"))
                .noneMatch(name -> name.startsWith("reactor-http-epoll") || name.startsWith("reactor-http-nio"));
    }

    @Test
    void healthListsTheMasterFirstAndEverySecondaryUnhealthy() {
        awaitFirstRecoveryAttempt();
        web.get().uri("/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.mode").isEqualTo("RECOVERING")
                .jsonPath("$.recovering").isEqualTo("heard 0 of 2 secondaries; need every secondary (this master has no state of its own)")
                .jsonPath("$.epoch").isEqualTo(0)
                .jsonPath("$.quorum").isEqualTo(2)
                .jsonPath("$.nodes.length()").isEqualTo(3)
                .jsonPath("$.nodes[0].role").isEqualTo("master")
                .jsonPath("$.nodes[1].name").isEqualTo("s1")
                .jsonPath("$.nodes[1].status").isEqualTo("UNHEALTHY")
                .jsonPath("$.nodes[2].status").isEqualTo("UNHEALTHY")
                .jsonPath("$.ids.source").isEqualTo("local");
    }

    @Test
    void aWriteConcernAboveTheClusterSizeIsABadRequestEvenWhenReadOnly() {
        web.post().uri("/messages?w=4").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"a\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("n=3"));
    }

    @Test
    void theLogStoreIsPartOfHealthAndOfLiveness() {
        web.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.logStore.status").isEqualTo("UP");
        web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.components.logStore.status").isEqualTo("UP");
    }

    @Test
    void theOpenApiDocumentDescribesThePublicEndpoints() {
        // The first OpenAPI document is generated on demand: slow on a loaded machine.
        web.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/messages'].post").exists()
                .jsonPath("$.paths['/messages'].post.responses['507']").exists()
                .jsonPath("$.paths['/messages/batch'].post.responses['507']").exists()
                .jsonPath("$.paths['/messages'].get").exists()
                .jsonPath("$.paths['/messages/{seq}'].get").exists()
                .jsonPath("$.paths['/health'].get").exists();
    }

    @Test
    void prometheusExposesReplicationMetricsPerSecondary() {
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("replog_replication_lag{", "secondary=\"s1\"", "replog_node_status{",
                                "replog_cluster_nodes_up", "replog_replication_retries_total{", "replog_ids_remaining{",
                                "replog_replication_round_trip_seconds_count{", "replog_log_fsync_seconds_count{",
                                "replog_log_append_seconds_count{")
                        // one retry metric with one meaning: Resilience4j's call counter is not published
                        .doesNotContain("resilience4j_retry"));
    }

    @Test
    void actuatorInfoTellsTheVersionAndTheBuild() {
        web.get().uri("/actuator/info").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.build.version").isNotEmpty()
                .jsonPath("$.build.artifact").isEqualTo("master-service");
    }

    /** Until the recovery's first attempt has said what it waits for (it starts with the context). */
    private void awaitFirstRecoveryAttempt() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> web.get().uri("/health")
                .exchange().expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody()
                .path("recovering").asString().startsWith("heard "));
    }
}
