package dev.replog.faulty;

import static dev.replog.common.testing.OpenApiDocuments.assertCommonShape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.testing.OpenApiDocuments;
import dev.replog.secondary.SecondaryWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The faulty-secondary's OpenAPI document: the secondary's under its own title, with the fault
 * switches and the answers the faults add to the replication endpoints; left in
 * target/openapi/faulty-secondary.json for the lint in .ci/run.
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
        JsonNode document = OpenApiDocuments.fetchAndSave(client, "faulty-secondary");

        assertCommonShape(document, "replog faulty-secondary", build.getVersion(),
                path -> path.startsWith("/replication/"));
        assertThat(document.path("tags").findValuesAsString("name"))
                .containsExactlyInAnyOrder("messages", "health", "replication", "faults");
        assertThat(document.path("paths").path("/faults").path("put").path("responses").propertyNames())
                .containsExactly("200", "400", "415", "500");

        JsonNode append = document.path("paths").path("/replication/append").path("post").path("responses");
        assertThat(append.path("500").path("description").asString()).contains("errorBeforeAppend", "errorAfterAppend");
        assertThat(append.path("503").path("description").asString()).contains("Epoch unknown", "down");
        JsonNode status = document.path("paths").path("/replication/status").path("get").path("responses");
        assertThat(status.propertyNames()).containsExactly("200", "401", "500", "503");
        OpenApiDocuments.assertIsAProblem(status.path("503"), "GET /replication/status 503");
    }
}
