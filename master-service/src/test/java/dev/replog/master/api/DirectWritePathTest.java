package dev.replog.master.api;

import dev.replog.master.MasterWebTest;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The master's direct write path over real HTTP (single node, n=1): plain writes are served before
 * WebFlux (counted by {@code replog_write_requests}, not by {@code http_server_requests}), every
 * other request goes on to the controller, and both answer the same JSON and the same problem+json.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "spring.http.codecs.max-in-memory-size=64KB",
        "replog.max-message-bytes=1KB"})
@AutoConfigureWebTestClient
class DirectWritePathTest extends MasterWebTest {

    @LocalServerPort
    int port;

    @BeforeEach
    void readWrite() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "READ_WRITE".equals(
                web.get().uri("/health").exchange().expectBody(JsonNode.class).returnResult().getResponseBody()
                        .path("mode").asString()));
    }

    @Test
    void aPlainWriteIsServedByTheDirectPathWithTheControllersAnswer() {
        double direct = count("replog_write_requests_seconds_count", "uri=\"/messages\"", "status=\"201\"");
        double webflux = count("http_server_requests_seconds_count", "uri=\"/messages\"", "method=\"POST\"");

        JsonNode answer = post("/messages?w=1", "{\"message\":\"direct\"}", headers -> { })
                .expectStatus().isCreated()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        long seq = answer.path("seq").asLong();
        assertThat(answer.propertyNames()).containsExactly("seq", "id", "w", "acks");
        assertThat(answer.path("acks").asInt()).isEqualTo(1);
        assertThat(web.get().uri("/messages/" + seq).exchange().expectBody(JsonNode.class).returnResult()
                .getResponseBody().path("message").asString()).isEqualTo("direct");

        // the same write through the controller (a doubled timeoutMs makes the direct path step aside)
        JsonNode viaController = post("/messages?w=1&timeoutMs=5000&timeoutMs=5000", "{\"message\":\"controller\"}",
                headers -> { })
                .expectStatus().isBadRequest()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(viaController.path("detail").asString()).contains("timeoutMs");

        // both are recorded once the answer went out, which may be just after the client read it
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(count("replog_write_requests_seconds_count", "uri=\"/messages\"", "status=\"201\""))
                    .isEqualTo(direct + 1);
            assertThat(count("http_server_requests_seconds_count", "uri=\"/messages\"", "method=\"POST\""))
                    .isEqualTo(webflux + 1);
        });
    }

    @Test
    void theWriteTimerPublishesHistogramBucketsThatAddUpAcrossNodes() {
        post("/messages", "{\"message\":\"timed\"}", headers -> { }).expectStatus().isCreated();

        // recorded once the answer went out, which may be just after the client read it
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                count("replog_write_requests_seconds_bucket", "uri=\"/messages\"", "status=\"201\"", "le=\"+Inf\""))
                .isPositive());
        assertThat(scrape()).contains("replog_write_requests_seconds_bucket{", "le=\"0.001048576\"",
                "replog_write_concern_wait_seconds_bucket{");
    }

    @Test
    void aBatchIsServedByTheDirectPathWithItsLocationAndIds() {
        JsonNode answer = post("/messages/batch", "{\"messages\":[\"a\",\"b\"],\"w\":\"all\"}", headers -> { })
                .expectStatus().isCreated()
                .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).startsWith("/messages/"))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.path("last").asLong()).isEqualTo(answer.path("first").asLong() + 1);
        assertThat(answer.path("ids")).hasSize(2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                count("replog_write_requests_seconds_count", "uri=\"/messages/batch\"", "status=\"201\"") >= 1);
    }

    @Test
    void malformedJsonGetsTheSameProblemOnBothPaths() {
        JsonNode direct = post("/messages", "{\"message\":", headers -> { })
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode controller = post("/messages?w=1&w=1", "{\"message\":", headers -> { })
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(direct).isEqualTo(controller);
        assertThat(direct.path("detail").asString()).startsWith("malformed JSON");
        assertThat(direct.path("instance").asString()).isEqualTo("/messages");
        assertThat(direct.path("type").asString()).isEqualTo("https://replog.dev/problems/bad-request");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/messages|{\"message\":\"a\",\"w\":1,\"w\":3}|Duplicate Object property \"w\"",
            "/messages|{\"message\":\"a\",\"message\":\"b\"}|Duplicate Object property \"message\"",
            "/messages/batch|{\"messages\":[\"a\"],\"messages\":[\"b\"]}|Duplicate Object property \"messages\"",
    })
    void aKeyGivenTwiceIsA400ProblemOnBothPathsAndAppendsNothing(String path, String body, String detail) {
        long before = lastSeq();
        // a doubled parameter makes the direct path hand the request to the controller
        for (String uri : List.of(path, path + "?timeoutMs=1000&timeoutMs=1000")) {
            assertBadRequest(uri, body, detail);
        }
        assertThat(lastSeq()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} {1} ?{2}")
    @CsvSource(delimiter = '|', value = {
            "/messages|{\"message\":\"a\",\"w\":\" 1\"}||was \" 1\"",
            "/messages|{\"message\":\"a\",\"w\":\"majority \"}||was \"majority \"",
            "/messages|{\"message\":\"a\",\"w\":\"1\"}||send 1 without quotes",
            "/messages|{\"message\":\"a\"}|w=%201|was \" 1\"",
            "/messages/batch|{\"messages\":[\"a\"]}|w=ALL|was \"ALL\"",
            "/messages|{\"message\":\"a\"}|timeoutMs=%2B500|was \"+500\"",
    })
    void aPaddedOrOtherwiseNonCanonicalWOrTimeoutIsA400ProblemAndAppendsNothing(String path, String body, String query,
            String detail) {
        long before = lastSeq();
        assertBadRequest(path + (query == null ? "" : "?" + query), body, detail);
        assertThat(lastSeq()).isEqualTo(before);
    }

    @Test
    void anEmptyMessageIsAMessage() {
        long seq = post("/messages", "{\"message\":\"\"}", headers -> { })
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("seq").asLong();
        web.get().uri("/messages/" + seq).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.message").isEqualTo("");
    }

    @Test
    void anEmptyBodyIsABadRequestSayingWhatTheBodyMustBe() {
        web.post().uri("/messages").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .startsWith("the body must be a JSON object"));
    }

    @Test
    void aBodyOverTheInMemoryLimitIs413() {
        String huge = "{\"message\":\"" + "x".repeat(70 * 1024) + "\"}";
        post("/messages", huge, headers -> { })
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .startsWith("request body too large"));
    }

    @Test
    void aMessageOverTheMessageLimitIs413AndNothingIsAppended() {
        long before = lastSeq();
        post("/messages", "{\"message\":\"" + "x".repeat(2048) + "\"}", headers -> { })
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.title").isEqualTo("Payload too large");
        assertThat(lastSeq()).isEqualTo(before);
    }

    @Test
    void requestsTheControllerWouldRefuseGetItsAnswers() {
        post("/messages", "{\"message\":\"x\"}", headers -> headers.setContentType(MediaType.TEXT_PLAIN))
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        post("/messages", "{\"message\":\"x\"}", headers -> headers.setAccept(List.of(MediaType.TEXT_HTML)))
                .expectStatus().isEqualTo(406);
        // a JSON subtype is taken, as the controller consumes application/*+json
        post("/messages", "{\"message\":\"vendor\"}",
                headers -> headers.setContentType(MediaType.parseMediaType("application/vnd.replog+json")))
                .expectStatus().isCreated();
    }

    @Test
    void anIdempotencyKeyReplaysThroughTheDirectPath() {
        Consumer<HttpHeaders> key = headers -> headers.set("Idempotency-Key", "direct-replay");
        JsonNode first = post("/messages", "{\"message\":\"once\"}", key).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode again = post("/messages", "{\"message\":\"once\"}", key).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/messages/" + first.path("seq").asLong())
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(again.path("seq")).isEqualTo(first.path("seq"));
        post("/messages", "{\"message\":\"other\"}", key).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.seq").isEqualTo(first.path("seq").asLong());
    }

    /** Posts {@code body} to {@code uri} as sent (already percent-encoded, not a template): a 400 problem saying {@code detail}. */
    private void assertBadRequest(String uri, String body, String detail) {
        JsonNode problem = web.post().uri(URI.create("http://127.0.0.1:" + port + uri))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(problem.path("type").asString()).isEqualTo("https://replog.dev/problems/bad-request");
        assertThat(problem.path("detail").asString()).as(uri).contains(detail);
    }

    private WebTestClient.ResponseSpec post(String uri, String body, Consumer<HttpHeaders> headers) {
        return web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).headers(headers).bodyValue(body).exchange();
    }

    private long lastSeq() {
        return web.get().uri("/health").exchange().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("lastSeq").asLong();
    }

    /** The value of the one Prometheus sample of {@code name} whose labels hold all of {@code labels}, else 0. */
    private double count(String name, String... labels) {
        return scrape().lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** {@code /actuator/prometheus}, read past this test's 64 KB codec limit (histogram buckets take more). */
    private String scrape() {
        return web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult().getResponseBody();
    }
}
