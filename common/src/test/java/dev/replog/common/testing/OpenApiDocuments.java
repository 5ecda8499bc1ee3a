package dev.replog.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every node's OpenAPI document must show, checked by each service's {@code OpenApiDocumentTest}
 * on the document its started context serves, and where the test leaves that document for the lint
 * in {@code .ci/run} ({@code target/openapi/NAME.json}, see redocly.yaml).
 */
public final class OpenApiDocuments {

    public static final String PROBLEM_REF = "#/components/schemas/Problem";
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private OpenApiDocuments() {
    }

    /**
     * The document the node behind {@code client} serves, also written to
     * {@code target/openapi/NAME.json} of the module under test (generated on first demand: slow on
     * a loaded machine).
     */
    public static JsonNode fetchAndSave(WebTestClient client, String name) {
        String body = client.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode document = JSON.readTree(body);
        save(name, document);
        return document;
    }

    private static Path save(String name, JsonNode document) {
        Path file = Path.of(System.getProperty("basedir", "."), "target", "openapi", name + ".json");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(document), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The checks every node's document passes: its title and the build's version; tags by resource
     * (declared, described, none named after a controller class) on every operation; a summary, a
     * success or redirect, and a 500 on every operation; the RFC 9457 {@code Problem} schema, and
     * every 3xx-5xx answer an {@code application/problem+json} of it (alone, or first in an
     * {@code allOf}); every {@code $ref} resolves; the operations of the {@code internal} paths,
     * and only those, need the cluster secret and answer 401.
     */
    public static void assertCommonShape(JsonNode document, String title, String version, Predicate<String> internal) {
        assertThat(document.path("info").path("title").asString()).isEqualTo(title);
        assertThat(document.path("info").path("version").asString()).isEqualTo(version).isNotEqualTo("v0");
        assertThat(document.path("info").path("description").asString()).isNotBlank();

        Set<String> tags = new TreeSet<>();
        for (JsonNode tag : document.path("tags")) {
            tags.add(tag.path("name").asString());
            assertThat(tag.path("description").asString()).as("description of tag %s", tag).isNotBlank();
        }
        assertThat(tags).noneMatch(tag -> tag.endsWith("-controller"));

        JsonNode problem = document.path("components").path("schemas").path("Problem");
        assertThat(problem.path("properties").propertyNames())
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
        assertThat(problem.path("additionalProperties").asBoolean()).isTrue();

        boolean anyInternal = false;
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            boolean secured = internal.test(path.getKey());
            anyInternal |= secured;
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                String where = method.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = method.getValue();
                assertThat(operation.path("summary").asString()).as("summary of %s", where).isNotBlank();
                List<String> operationTags = new ArrayList<>();
                operation.path("tags").forEach(tag -> operationTags.add(tag.asString()));
                assertThat(operationTags).as("tags of %s", where).isNotEmpty().isSubsetOf(tags);
                JsonNode responses = operation.path("responses");
                assertThat(responses.propertyNames()).as("statuses of %s", where)
                        .anyMatch(status -> status.startsWith("2") || status.startsWith("3"))
                        .contains("500");
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    if (Integer.parseInt(response.getKey()) >= 300) {
                        assertIsAProblem(response.getValue(), where + " " + response.getKey());
                    }
                }
                JsonNode security = operation.path("security");
                assertThat(security.isArray()).as("security of %s", where).isTrue();
                if (secured) {
                    assertThat(security.toString()).as("security of %s", where).isEqualTo("[{\"clusterSecret\":[]}]");
                    assertThat(responses.has("401")).as("401 of %s", where).isTrue();
                } else {
                    assertThat(security.isEmpty()).as("public %s needs no secret", where).isTrue();
                    assertThat(responses.has("401")).as("401 of public %s", where).isFalse();
                }
            }
        }
        JsonNode scheme = document.path("components").path("securitySchemes").path("clusterSecret");
        if (anyInternal) {
            assertThat(scheme.path("type").asString()).isEqualTo("apiKey");
            assertThat(scheme.path("in").asString()).isEqualTo("header");
            assertThat(scheme.path("name").asString()).isEqualTo("X-Replog-Secret");
        } else {
            assertThat(scheme.isMissingNode()).isTrue();
        }
        assertRefsResolve(document, document);
    }

    /** The answer's body is {@code application/problem+json} only, of the Problem schema. */
    public static void assertIsAProblem(JsonNode response, String where) {
        JsonNode content = response.path("content");
        assertThat(content.propertyNames()).as("media types of %s", where).containsExactly(PROBLEM_JSON);
        JsonNode schema = content.path(PROBLEM_JSON).path("schema");
        String ref = schema.has("allOf") ? schema.path("allOf").path(0).path("$ref").asString()
                : schema.path("$ref").asString();
        assertThat(ref).as("problem schema of %s: %s", where, schema).isEqualTo(PROBLEM_REF);
    }

    /** The members a problem answer adds to Problem ({@code allOf: [Problem, {$ref: that}]}). */
    public static JsonNode problemMembers(JsonNode document, JsonNode response) {
        JsonNode schema = response.path("content").path(PROBLEM_JSON).path("schema");
        assertThat(schema.path("allOf").size()).as("allOf of %s", schema).isEqualTo(2);
        return resolve(document, schema.path("allOf").path(1)).path("properties");
    }

    /** {@code schema} itself, or what its {@code $ref} names. */
    public static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asString();
        if (ref.isEmpty()) {
            return schema;
        }
        assertThat(ref).startsWith("#/components/schemas/");
        return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
    }

    private static void assertRefsResolve(JsonNode document, JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                if (member.getKey().equals("$ref")) {
                    assertThat(resolve(document, node).isMissingNode()).as("%s resolves", member.getValue()).isFalse();
                } else {
                    assertRefsResolve(document, member.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> assertRefsResolve(document, item));
        }
    }
}
