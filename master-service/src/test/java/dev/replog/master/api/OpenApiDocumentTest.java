package dev.replog.master.api;

import static dev.replog.common.testing.OpenApiDocuments.assertCommonShape;
import static dev.replog.common.testing.OpenApiDocuments.problemMembers;
import static dev.replog.common.testing.OpenApiDocuments.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.testing.OpenApiDocuments;
import dev.replog.master.MasterWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The master's OpenAPI document as a started master serves it: complete (every status of POST
 * /messages with its problem schema, w as an integer or a name, tags by resource) and left in
 * target/openapi/master.json for the lint in .ci/run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // a context of its own: one with the same properties would share a data dir JUnit deletes after its class
        "test.context=openapi-document",
        "server.address=127.0.0.1", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class OpenApiDocumentTest extends MasterWebTest {

    @Autowired
    BuildProperties build;

    @Test
    void theDocumentIsCompleteAndIsLeftForTheLint() {
        JsonNode document = OpenApiDocuments.fetchAndSave(web, "master");

        assertCommonShape(document, "replog master", build.getVersion(), path -> false);
        assertThat(document.path("tags").findValuesAsString("name")).contains("messages", "health", "dashboard");

        JsonNode append = document.path("paths").path("/messages").path("post");
        assertThat(append.path("tags").toString()).isEqualTo("[\"messages\"]");
        assertThat(append.path("responses").propertyNames())
                .containsExactly("200", "201", "307", "400", "413", "415", "422", "500", "503", "504", "507");
        assertThat(append.path("responses").path("201").path("headers").has("Location")).isTrue();
        assertThat(append.path("responses").path("307").path("headers").has("Location")).isTrue();
        assertThat(append.path("responses").path("503").path("headers").has("Retry-After")).isTrue();
        assertThat(problemMembers(document, append.path("responses").path("503")).propertyNames())
                .contains("mode", "nodesUp", "quorum", "seq", "acks", "w");
        assertThat(problemMembers(document, append.path("responses").path("504")).propertyNames())
                .containsExactlyInAnyOrder("seq", "acks", "w");
        assertThat(problemMembers(document, append.path("responses").path("507")).propertyNames())
                .containsExactly("appended");
        assertThat(document.path("paths").path("/messages/batch").path("post").path("responses").propertyNames())
                .containsExactly("200", "201", "307", "400", "413", "415", "422", "500", "503", "504", "507");

        // w: an integer 1.. or "majority" / "all", in the body and in the query
        JsonNode writeConcern = document.path("components").path("schemas").path("WriteConcern");
        assertThat(writeConcern.path("oneOf").size()).isEqualTo(2);
        assertThat(writeConcern.path("oneOf").path(0).path("type").asString()).isEqualTo("integer");
        assertThat(writeConcern.path("oneOf").path(0).path("minimum").asInt()).isEqualTo(1);
        assertThat(writeConcern.path("oneOf").path(1).path("type").asString()).isEqualTo("string");
        assertThat(writeConcern.path("oneOf").path(1).path("enum").toString()).isEqualTo("[\"majority\",\"all\"]");
        JsonNode requestBody = resolve(document,
                append.path("requestBody").path("content").path("application/json").path("schema"));
        assertThat(requestBody.path("properties").path("w").path("$ref").asString())
                .isEqualTo("#/components/schemas/WriteConcern");
        assertThat(requestBody.path("properties").path("w").has("type")).as("no type beside the $ref").isFalse();
        JsonNode queryW = null;
        for (JsonNode parameter : append.path("parameters")) {
            if (parameter.path("name").asString().equals("w")) {
                queryW = parameter;
            }
        }
        assertThat(queryW).isNotNull();
        assertThat(queryW.path("in").asString()).isEqualTo("query");
        assertThat(queryW.path("schema").path("$ref").asString()).isEqualTo("#/components/schemas/WriteConcern");

        assertThat(document.path("paths").path("/messages/{seq}").path("get").path("responses").propertyNames())
                .containsExactly("200", "400", "404", "500");
        assertThat(document.path("paths").path("/messages/stream").path("get").path("responses").path("200")
                .path("content").has("text/event-stream")).isTrue();
        assertThat(document.path("paths").path("/cluster/nodes/{name}/faults").path("put").path("responses")
                .propertyNames()).contains("200", "400", "404", "415", "502");
    }
}
