package dev.replog.sync.config;

import static dev.replog.common.testing.OpenApiDocuments.assertCommonShape;
import static dev.replog.common.testing.OpenApiDocuments.problemMembers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.testing.OpenApiDocuments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A sync node's OpenAPI document as a started node serves it (its peers never answer: the
 * document needs none): the sync-service's errors — 400, 409 with the lock's holder, 503 without a
 * majority — and the acceptor calls behind the cluster secret; left in
 * target/openapi/sync-service.json for the lint in .ci/run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // a context of its own: one with the same properties would share a data dir JUnit deletes after its class
        "test.context=openapi-document",
        "server.address=127.0.0.1", "replog.node-name=sync-under-test", "replog.sync.node-id=1",
        // nothing listens on port 9 (discard): the node stays out of any quorum, which the document does not need
        "replog.sync.peers=http://127.0.0.1:9,http://127.0.0.1:9/b,http://127.0.0.1:9/c",
        "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class OpenApiDocumentTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("replog.data-dir", dataDir::toString);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    BuildProperties build;

    @Test
    void theDocumentIsCompleteAndIsLeftForTheLint() {
        JsonNode document = OpenApiDocuments.fetchAndSave(client, "sync-service");

        assertCommonShape(document, "replog sync-service", build.getVersion(), path -> path.startsWith("/paxos/"));
        assertThat(document.path("tags").findValuesAsString("name"))
                .containsExactlyInAnyOrder("sequences", "locks", "paxos");

        JsonNode paths = document.path("paths");
        Map<String, String> publicOperations = Map.of("/sequences/{name}/ranges", "post", "/sequences/{name}", "get",
                "/locks/{name}/acquire", "post", "/locks/{name}/release", "post");
        publicOperations.forEach((path, method) -> {
            JsonNode responses = paths.path(path).path(method).path("responses");
            assertThat(responses.propertyNames()).as(path).contains("200", "400", "500", "503");
            assertThat(problemMembers(document, responses.path("503")).propertyNames()).as(path)
                    .containsExactlyInAnyOrder("answered", "required");
        });
        JsonNode acquire = paths.path("/locks/{name}/acquire").path("post").path("responses");
        assertThat(acquire.propertyNames()).containsExactly("200", "400", "409", "415", "500", "503");
        assertThat(problemMembers(document, acquire.path("409")).propertyNames())
                .containsExactlyInAnyOrder("holder", "expiresAt");
        assertThat(paths.path("/locks/{name}/release").path("post").path("responses").propertyNames())
                .containsExactly("200", "400", "409", "415", "500", "503");
        assertThat(paths.path("/sequences/{name}").path("get").path("parameters").path(0).path("schema")
                .path("pattern").asString()).isEqualTo("^[a-z0-9._-]{1,64}$");
        assertThat(paths.path("/paxos/prepare").path("post").path("responses").propertyNames())
                .containsExactly("200", "400", "401", "415", "500", "503");
    }
}
