package dev.replog.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /messages/batch} on a single-node master (n=1): a batch lands contiguously even
 * among concurrent writes, answers first/last/ids, replays under its Idempotency-Key, and bad
 * batches get problem+json and change nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "replog.batch.max-messages=50"})
@AutoConfigureWebTestClient
class BatchWriteTest extends MasterWebTest {

    @BeforeEach
    void readWrite() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "READ_WRITE".equals(
                health().path("mode").asString()));
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void aBatchIsAppendedInArrayOrderAndAnsweredWithItsSeqRangeAndIds() {
        long before = health().path("lastSeq").asLong();
        JsonNode answer = web.post().uri("/messages/batch?w=1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"messages\":[\"one\",\"two\",\"three\"]}").exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/messages/" + (before + 1))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.path("first").asLong()).isEqualTo(before + 1);
        assertThat(answer.path("last").asLong()).isEqualTo(before + 3);
        assertThat(answer.path("w").asInt()).isEqualTo(1);
        assertThat(answer.path("acks").asInt()).isEqualTo(1);
        List<Long> ids = new ArrayList<>();
        answer.path("ids").forEach(id -> ids.add(id.asLong()));
        assertThat(ids).hasSize(3).isSorted().doesNotHaveDuplicates();
        JsonNode log = web.get().uri("/messages?from=" + (before + 1)).exchange().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        assertThat(log).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(log.get(i).path("message").asString()).isEqualTo(List.of("one", "two", "three").get(i));
            assertThat(log.get(i).path("id").asLong()).isEqualTo(ids.get(i));
        }
    }

    @Test
    void concurrentBatchesAndSingleWritesNeverInterleaveInsideABatch() {
        List<JsonNode> answers = Flux.range(0, 40)
                .flatMap(i -> i % 2 == 0
                        ? web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("messages", IntStream.range(0, 10).mapToObj(j -> "b" + i + "-" + j).toList()))
                                .exchange().returnResult(JsonNode.class).getResponseBody()
                        : web.post().uri("/messages").contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(Map.of("message", "s" + i))
                                .exchange().returnResult(JsonNode.class).getResponseBody(), 40)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(answers).hasSize(40);
        JsonNode log = web.get().uri("/messages").exchange().expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode answer : answers) {
            if (!answer.has("first")) {
                continue;
            }
            long first = answer.path("first").asLong();
            assertThat(answer.path("last").asLong()).isEqualTo(first + 9);
            String batch = log.get((int) first - 1).path("message").asString().split("-")[0];
            for (int j = 0; j < 10; j++) {
                assertThat(log.get((int) first - 1 + j).path("message").asString()).isEqualTo(batch + "-" + j);
            }
        }
        assertThat(answers).filteredOn(a -> a.has("first")).hasSize(20);
    }

    @Test
    void theSameIdempotencyKeyReplaysTheBatchAndWithOtherMessagesIsRefused() {
        JsonNode first = batch("{\"messages\":[\"k1\",\"k2\"]}", "batch-key", 201);
        JsonNode replay = batch("{\"messages\":[\"k1\",\"k2\"]}", "batch-key", 200);
        assertThat(replay.path("first")).isEqualTo(first.path("first"));
        assertThat(replay.path("ids")).isEqualTo(first.path("ids"));
        long lastSeq = health().path("lastSeq").asLong();
        JsonNode conflict = batch("{\"messages\":[\"k1\",\"other\"]}", "batch-key", 422);
        assertThat(conflict.path("seq").asLong()).isEqualTo(first.path("first").asLong());
        assertThat(health().path("lastSeq").asLong()).isEqualTo(lastSeq);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"messages\":[]}|400",
            "{\"messages\":[\"a\",1]}|400",
            "{\"messages\":\"a\"}|400",
            "{\"message\":\"a\"}|400",
            "{\"messages\":[\"a\"],\"w\":2}|400",
            "{\"messages\":[\"a\"],\"timeoutMs\":0}|400",
            "{\"messages\":[|400",
    })
    void badBatchesAreProblemsAndAppendNothing(String body, int status) {
        long lastSeq = health().path("lastSeq").asLong();
        web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").exists();
        assertThat(health().path("lastSeq").asLong()).isEqualTo(lastSeq);
    }

    @Test
    void aBatchOverTheConfiguredMessageCountIsTooLarge() {
        long lastSeq = health().path("lastSeq").asLong();
        web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("messages", IntStream.range(0, 51).mapToObj(i -> "m" + i).toList())).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("at most 50 messages"));
        assertThat(health().path("lastSeq").asLong()).isEqualTo(lastSeq);
    }

    @Test
    void theOpenApiDocumentDescribesTheBatchEndpoint() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/messages/batch'].post.responses['201']").exists()
                .jsonPath("$.paths['/messages/batch'].post.responses['413']").exists();
    }

    @Test
    void prometheusShowsAppendFsyncAndWriteConcernWaitTimersThatCountWrites() {
        batch("{\"messages\":[\"m1\",\"m2\"]}", "metrics-key", 201);
        String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(count(metrics, "replog_log_append_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "replog_log_fsync_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(count(metrics, "replog_log_append_entries_sum")).isGreaterThanOrEqualTo(2);
        assertThat(metrics).contains("replog_write_concern_wait_seconds_bucket{");
        assertThat(count(metrics, "replog_write_concern_wait_seconds_count{node=\"master\",w=\"1\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    /** The value of the first sample line starting with {@code name} (0 when absent). */
    private static double count(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    private JsonNode batch(String body, String key, int status) {
        return web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key)
                .bodyValue(body).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode health() {
        return web.get().uri("/health").exchange().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
