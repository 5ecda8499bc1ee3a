package dev.replog.secondary;

import static dev.replog.common.testing.OpenApiDocuments.assertCommonShape;
import static dev.replog.common.testing.OpenApiDocuments.problemMembers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.testing.OpenApiDocuments;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The secondary's OpenAPI document as a started secondary serves it: tags by resource, every error
 * a problem, the replication endpoints (only they) behind the cluster secret, writes answered 307
 * or 503; left in target/openapi/secondary.json for the lint in .ci/run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // a context of its own: one with the same properties would share a data dir JUnit deletes after its class
        "test.context=openapi-document",
        "server.address=127.0.0.1", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class OpenApiDocumentTest extends SecondaryWebTest {

    @Autowired
    BuildProperties build;

    @Test
    void theDocumentIsCompleteAndIsLeftForTheLint() {
        JsonNode document = OpenApiDocuments.fetchAndSave(client, "secondary");

        assertCommonShape(document, "replog secondary", build.getVersion(), path -> path.startsWith("/replication/"));
        assertThat(document.path("tags").findValuesAsString("name"))
                .containsExactlyInAnyOrder("messages", "health", "replication");
        assertThat(document.path("paths").propertyNames()).contains("/replication/append", "/replication/status",
                "/replication/entries", "/messages", "/messages/{seq}", "/messages/stream", "/messages/batch",
                "/health");

        JsonNode append = document.path("paths").path("/replication/append").path("post");
        assertThat(append.path("responses").propertyNames())
                .containsExactly("200", "400", "401", "409", "413", "415", "500", "503", "507");
        assertThat(problemMembers(document, append.path("responses").path("409")).propertyNames())
                .containsExactlyInAnyOrder("reason", "ackedSeq", "epoch");

        JsonNode write = document.path("paths").path("/messages").path("post");
        assertThat(write.path("responses").propertyNames()).containsExactly("307", "500", "503");
        assertThat(write.path("responses").path("307").path("headers").has("Location")).isTrue();
        assertThat(write.path("responses").path("503").path("headers").has("Retry-After")).isTrue();
        assertThat(document.path("paths").path("/messages/{seq}").path("get").path("responses").propertyNames())
                .containsExactly("200", "400", "404", "500");
    }
}
