package dev.replog.cluster;

import static dev.replog.cluster.LogChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Bad input gets an RFC 9457 problem and changes nothing, on the master's public API and on a
 * secondary's internal append endpoint. The same running cluster (n = 3) also serves the checks
 * of idempotency keys, the OpenAPI document and the Prometheus endpoint.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Bad input and the service endpoints")
class BadInputIT {

    private static final String JSON = "application/json";
    private static final String TWO_MIB = "x".repeat(2 * 1024 * 1024);
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.builder(BadInputIT.class)
                .secondary("secondary")
                .faultySecondary("faulty-secondary")
                .start();
        // Something in the log, so that "unchanged" has content to compare.
        Written.created(cluster.client().write("already-there", 3), 3, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One bad request and the status it must get. */
    record BadRequest(String method, String path, String body, String contentType, Map<String, String> headers,
            int status) {

        static BadRequest post(String path, String body, int status) {
            return new BadRequest("POST", path, body, JSON, Map.of(), status);
        }

        BadRequest withContentType(String type) {
            return new BadRequest(method, path, body, type, headers, status);
        }

        BadRequest withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new BadRequest(method, path, body, contentType, more, status);
        }

        HttpResult sendTo(ReplogClient node) {
            return node.send(method, path, body, contentType, headers, ReplogClient.SHORT);
        }

        @Override
        public String toString() {
            return method + " " + path + " " + status;
        }
    }

    static Stream<Arguments> badMasterRequests() {
        return Stream.of(
                row("malformed JSON", BadRequest.post("/messages", "{\"message\": \"x\"", 400)),
                row("JSON array body", BadRequest.post("/messages", "[\"x\"]", 400)),
                row("JSON string body", BadRequest.post("/messages", "\"x\"", 400)),
                row("message is a number", BadRequest.post("/messages", "{\"message\": 5}", 400)),
                row("message is null", BadRequest.post("/messages", "{\"message\": null}", 400)),
                row("message is an object", BadRequest.post("/messages", "{\"message\": {\"a\": 1}}", 400)),
                row("message missing", BadRequest.post("/messages", "{\"w\": 1}", 400)),
                row("w is a boolean", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": true}", 400)),
                row("w is 1.5", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": 1.5}", 400)),
                row("w = 0", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": 0}", 400)),
                row("w = -1", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": -1}", 400)),
                row("w = n+1 = 4", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": 4}", 400)),
                row("w = \"most\"", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": \"most\"}", 400)),
                row("w = \"\"", BadRequest.post("/messages", "{\"message\": \"x\", \"w\": \"\"}", 400)),
                row("query w=0", BadRequest.post("/messages?w=0", "{\"message\": \"x\"}", 400)),
                row("query w=4", BadRequest.post("/messages?w=4", "{\"message\": \"x\"}", 400)),
                row("query w=most", BadRequest.post("/messages?w=most", "{\"message\": \"x\"}", 400)),
                row("body w=1 and query w=2 disagree",
                        BadRequest.post("/messages?w=2", "{\"message\": \"x\", \"w\": 1}", 400)),
                row("empty body", BadRequest.post("/messages", "", 400)),
                row("2 MiB message", BadRequest.post("/messages", "{\"message\": \"" + TWO_MIB + "\"}", 413)),
                row("text/plain content type", BadRequest.post("/messages", "hello", 415).withContentType("text/plain")),
                row("no content type", BadRequest.post("/messages", "{\"message\": \"x\"}", 415).withContentType(null)),
                row("timeoutMs = -1", BadRequest.post("/messages", "{\"message\": \"x\", \"timeoutMs\": -1}", 400)),
                row("timeoutMs = \"x\"", BadRequest.post("/messages", "{\"message\": \"x\", \"timeoutMs\": \"x\"}", 400)),
                row("query timeoutMs=x", BadRequest.post("/messages?timeoutMs=x", "{\"message\": \"x\"}", 400)),
                row("Idempotency-Key of 129 characters", BadRequest.post("/messages", "{\"message\": \"x\"}", 400)
                        .withHeader("Idempotency-Key", "k".repeat(129))),
                row("unknown seq", new BadRequest("GET", "/messages/999999", null, null, Map.of(), 404)),
                row("non-numeric seq", new BadRequest("GET", "/messages/abc", null, null, Map.of(), 400)),
                row("seq 0", new BadRequest("GET", "/messages/0", null, null, Map.of(), 400)),
                row("negative seq", new BadRequest("GET", "/messages/-1", null, null, Map.of(), 400)),
                row("non-numeric from", new BadRequest("GET", "/messages?from=abc", null, null, Map.of(), 400)),
                row("negative limit", new BadRequest("GET", "/messages?limit=-1", null, null, Map.of(), 400)));
    }

    static Stream<Arguments> badAppendRequests() {
        String entries12 = "[{\"seq\": 1, \"id\": 1, \"message\": \"a\"}, {\"seq\": 2, \"id\": 2, \"message\": \"b\"}]";
        return Stream.of(
                row("malformed JSON", BadRequest.post("/replication/append", "{\"epoch\": 1,", 400)),
                row("non-consecutive entries", BadRequest.post("/replication/append",
                        "{\"epoch\": 1, \"prevSeq\": 0, \"prevId\": 0, \"entries\": ["
                                + "{\"seq\": 1, \"id\": 1, \"message\": \"a\"}, {\"seq\": 3, \"id\": 3, \"message\": \"c\"}]}",
                        400)),
                row("ids not increasing", BadRequest.post("/replication/append",
                        "{\"epoch\": 1, \"prevSeq\": 0, \"prevId\": 0, \"entries\": ["
                                + "{\"seq\": 1, \"id\": 5, \"message\": \"a\"}, {\"seq\": 2, \"id\": 5, \"message\": \"b\"}]}",
                        400)),
                row("entry without message", BadRequest.post("/replication/append",
                        "{\"epoch\": 1, \"prevSeq\": 0, \"prevId\": 0, \"entries\": [{\"seq\": 1, \"id\": 1}]}", 400)),
                row("epoch 0", BadRequest.post("/replication/append",
                        "{\"epoch\": 0, \"prevSeq\": 0, \"prevId\": 0, \"entries\": " + entries12 + "}", 400)),
                row("text/plain content type", BadRequest.post("/replication/append",
                        "{\"epoch\": 1, \"prevSeq\": 0, \"prevId\": 0, \"entries\": " + entries12 + "}", 415)
                        .withContentType("text/plain")),
                row("non-numeric seq", new BadRequest("GET", "/messages/abc", null, null, Map.of(), 400)),
                row("unknown seq", new BadRequest("GET", "/messages/999999", null, null, Map.of(), 404)));
    }

    private static Arguments row(String name, BadRequest request) {
        return Arguments.of(name, request);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("badMasterRequests")
    @DisplayName("the master answers bad input with problem+json and its log is unchanged")
    void masterRefusesBadInput(String name, BadRequest request) {
        ReplogClient master = cluster.client();
        List<LogEntry> before = master.messages();

        HttpResult result = request.sendTo(master);

        assertProblem(result, request.status());
        assertThat(master.messages()).as("master's log after %s", name).isEqualTo(before);
        assertThat(master.health().path("lastSeq").asLong()).as("lastSeq after %s", name).isEqualTo(before.size());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("badAppendRequests")
    @DisplayName("a secondary answers bad input with problem+json and its log is unchanged")
    void secondaryRefusesBadInput(String name, BadRequest request) {
        ReplogClient secondary = cluster.node("secondary").client();
        List<LogEntry> before = secondary.messages();
        long ackedBefore = secondary.replicationStatus().path("ackedSeq").asLong();

        HttpResult result = request.sendTo(secondary);

        assertProblem(result, request.status());
        assertThat(secondary.messages()).as("secondary's log after %s", name).isEqualTo(before);
        assertThat(secondary.replicationStatus().path("ackedSeq").asLong()).isEqualTo(ackedBefore);
    }

    @Test
    @DisplayName("the same Idempotency-Key twice gives the original answer with 200 and appends once")
    void idempotencyKeyAppendsOnce() {
        ReplogClient master = cluster.client();
        String key = "key-" + UUID.randomUUID();
        String message = "idempotent-" + key;
        int sizeBefore = master.messages().size();

        HttpResult first = master.postJsonAsync("/messages", Map.of("message", message, "w", 2),
                Map.of("Idempotency-Key", key)).join();
        Written original = Written.created(first, 2, 3);
        HttpResult again = master.postJsonAsync("/messages", Map.of("message", message, "w", 2),
                Map.of("Idempotency-Key", key)).join();

        assertThat(again.status()).as("second post with the same key: %s", again).isEqualTo(200);
        JsonNode body = again.json();
        assertThat(body.path("seq").asLong(-1)).isEqualTo(original.seq());
        assertThat(body.path("id").asLong(-1)).isEqualTo(original.id());
        List<LogEntry> after = master.messages();
        assertThat(after).hasSize(sizeBefore + 1);
        assertThat(after).filteredOn(e -> e.message().equals(message)).hasSize(1)
                .first().isEqualTo(new LogEntry(original.seq(), original.id(), message));
    }

    @Test
    @DisplayName("the OpenAPI document lists /messages and /health, and Swagger UI is served")
    void openApiDocumentListsTheEndpoints() {
        HttpResult docs = cluster.client().get("/v3/api-docs");
        assertThat(docs.status()).as("GET /v3/api-docs: %s", docs).isEqualTo(200);
        JsonNode paths = docs.json().path("paths");
        assertThat(paths.has("/messages")).as("/messages in %s", paths.propertyNames()).isTrue();
        assertThat(paths.has("/health")).as("/health in %s", paths.propertyNames()).isTrue();
        assertThat(paths.has("/messages/{seq}")).as("/messages/{seq} in %s", paths.propertyNames()).isTrue();
        assertThat(paths.path("/messages").has("post")).isTrue();

        HttpResult ui = cluster.client().get("/swagger-ui.html");
        if (ui.status() / 100 == 3) {
            String location = ui.header("Location").orElseThrow();
            ui = cluster.client().get(location.startsWith("http") ? java.net.URI.create(location).getRawPath() : location);
        }
        assertThat(ui.status()).as("Swagger UI: %s", ui).isEqualTo(200);
    }

    @Test
    @DisplayName("actuator health is UP on every node and the master's Prometheus endpoint exposes replog meters")
    void actuatorAndPrometheusExposeReplogMeters() {
        for (NodeProcess node : cluster.nodes()) {
            HttpResult health = node.client().get("/actuator/health");
            assertThat(health.status()).as("%s /actuator/health: %s", node.name(), health).isEqualTo(200);
            assertThat(health.json().path("status").asString("")).isEqualTo("UP");
        }
        Written.created(cluster.client().write("for-the-meters", 2), 2, 3);
        HttpResult prometheus = cluster.client().get("/actuator/prometheus");
        assertThat(prometheus.status()).as("GET /actuator/prometheus").isEqualTo(200);
        List<String> replogLines = prometheus.body().lines().filter(l -> l.startsWith("replog_")).toList();
        assertThat(replogLines).as("replog_ samples").isNotEmpty();
        for (String secondary : new String[] {"secondary", "faulty-secondary"}) {
            assertThat(replogLines).as("replication lag of %s", secondary)
                    .anySatisfy(l -> assertThat(l).startsWith("replog_replication_lag").contains("\"" + secondary + "\""));
            assertThat(replogLines).as("replication retries of %s", secondary)
                    .anySatisfy(l -> assertThat(l).startsWith("replog_replication_retries").contains("\"" + secondary + "\""));
        }
        assertThat(replogLines).as("write-concern wait time tagged by w")
                .anySatisfy(l -> assertThat(l).startsWith("replog_write_concern_wait_seconds").contains("w=\"2\""));
    }
}
