package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.secondary.SecondaryWebTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The secondary's direct append path over real HTTP: a plain append is served before WebFlux
 * (counted by {@code replog_replication_requests}, not by {@code http_server_requests}), anything
 * else goes on to the controller, and a refusal reads the same on both paths.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class DirectAppendPathTest extends SecondaryWebTest {

    @Test
    void aPlainAppendIsServedByTheDirectPathAndAWebFluxOnlyOneByTheController() {
        double direct = count("replog_replication_requests_seconds_count", "status=\"200\"");
        double webflux = count("http_server_requests_seconds_count", "uri=\"/replication/append\"", "status=\"200\"");

        append(ReplicationPaths.APPEND, batch(1, 1, 2)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(2, 1));
        assertThat(count("replog_replication_requests_seconds_count", "status=\"200\"")).isEqualTo(direct + 1);
        assertThat(count("http_server_requests_seconds_count", "uri=\"/replication/append\"", "status=\"200\""))
                .isEqualTo(webflux);

        // a path with a matrix parameter is not the plain one: WebFlux routes it to the same controller
        append(ReplicationPaths.APPEND + ";via=webflux", batch(1, 3, 3)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(3, 1));
        assertThat(count("replog_replication_requests_seconds_count", "status=\"200\"")).isEqualTo(direct + 1);
        assertThat(count("http_server_requests_seconds_count", "uri=\"/replication/append\"", "status=\"200\""))
                .isEqualTo(webflux + 1);
    }

    @Test
    void aRefusalAndABadBatchReadTheSameOnBothPaths() {
        append(ReplicationPaths.APPEND, batch(1, 1, 1)).expectStatus().isOk();
        JsonNode direct = refused(ReplicationPaths.APPEND, batch(1, 5, 6));
        JsonNode viaController = refused(ReplicationPaths.APPEND + ";via=webflux", batch(1, 5, 6));
        assertThat(direct.path("status").asInt()).isEqualTo(409);
        assertThat(direct.path("ackedSeq").asLong()).isEqualTo(1);
        assertThat(withoutInstance(direct)).isEqualTo(withoutInstance(viaController));

        JsonNode bad = client.post().uri(ReplicationPaths.APPEND).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"epoch\":0,\"prevSeq\":1,\"prevId\":10,\"entries\":[]}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode badViaController = client.post().uri(ReplicationPaths.APPEND + ";via=webflux")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"epoch\":0,\"prevSeq\":1,\"prevId\":10,\"entries\":[]}").exchange()
                .expectStatus().isBadRequest()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(bad.path("detail").asString()).contains("epoch").isEqualTo(badViaController.path("detail").asString());
        assertThat(count("replog_replication_requests_seconds_count", "status=\"400\"")).isPositive();
    }

    /** The problem without its instance (the request paths differ by the matrix parameter). */
    private static JsonNode withoutInstance(JsonNode problem) {
        ObjectNode copy = (ObjectNode) problem.deepCopy();
        copy.remove("instance");
        return copy;
    }

    private JsonNode refused(String path, Object batch) {
        return append(path, batch).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec append(String path, Object batch) {
        return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(batch).exchange();
    }

    /** The sum of a Prometheus sample over the series whose labels contain every one of {@code labels}. */
    private double count(String name, String... labels) {
        String scrape = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
