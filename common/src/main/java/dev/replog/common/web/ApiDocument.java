package dev.replog.common.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;

/**
 * What every replog node's OpenAPI document ({@code /v3/api-docs}) shares, applied after springdoc
 * has read the controllers' annotations:
 * <ul>
 * <li>the title, description and version (the build's, from {@code META-INF/build-info.properties});
 * <li>the RFC 9457 {@code Problem} schema, given as {@code application/problem+json} to every 3xx,
 *     4xx and 5xx answer of every operation — an answer whose annotation names a schema of its own
 *     (the members a problem adds, such as a lock's {@code holder}) gets {@code allOf: [Problem,
 *     that schema]};
 * <li>a 500 on every operation (any unexpected error, {@link ProblemHandler});
 * <li>the cluster secret as the security scheme {@value #CLUSTER_SECRET} of the internal endpoints,
 *     exactly those the node's {@link ClusterSecretFilter} guards, each with its 401; every other
 *     operation says that it needs nothing ({@code security: []});
 * <li>a {@code Location} header on every 307.
 * </ul>
 * So the controllers' annotations need only say which statuses an operation answers and when.
 * A service that builds on another's document (the faulty-secondary on the secondary's) changes it
 * with an {@link Amendment}, applied after all of this: springdoc applies its customizers in no
 * set order.
 */
public final class ApiDocument implements OpenApiCustomizer {

    public static final String PROBLEM = "Problem";
    public static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    public static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    public static final String CLUSTER_SECRET = "clusterSecret";

    private final String title;
    private final String description;
    private final String version;
    private final Predicate<String> internal;
    private final Map<String, Schema<?>> schemas = new LinkedHashMap<>();
    private final List<Amendment> amendments = new ArrayList<>();

    /** A change to the finished document, by a service that builds on another's. */
    @FunctionalInterface
    public interface Amendment {
        void amend(OpenAPI api);
    }

    /**
     * @param internal whether the operations of a path need the cluster secret (the node's
     *                 {@link ClusterSecretFilter#guards(String)}, or none)
     */
    public ApiDocument(String title, String description, ObjectProvider<BuildProperties> build,
            Predicate<String> internal) {
        this.title = title;
        this.description = description;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null || properties.getVersion() == null ? "unknown" : properties.getVersion();
        this.internal = internal;
    }

    /** Adds a component schema that annotations refer to by {@code #/components/schemas/NAME}. */
    public ApiDocument schema(String name, Schema<?> schema) {
        schemas.put(name, schema);
        return this;
    }

    /** Applies {@code more} to the finished document, in their order. */
    public ApiDocument amendedBy(List<? extends Amendment> more) {
        amendments.addAll(more);
        return this;
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info().title(title).description(description).version(version));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.components(components);
        components.addSchemas(PROBLEM, problem());
        schemas.forEach(components::addSchemas);
        boolean anyInternal = false;
        if (api.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
                boolean secured = internal.test(path.getKey());
                anyInternal |= secured;
                for (Operation operation : path.getValue().readOperations()) {
                    document(operation, secured);
                }
            }
        }
        if (anyInternal) {
            components.addSecuritySchemes(CLUSTER_SECRET, new SecurityScheme()
                    .type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER)
                    .name(ClusterSettings.SECRET_HEADER)
                    .description("The cluster's shared secret (replog.cluster.secret). The internal endpoints "
                            + "refuse a request without it, or with another value, with 401 and change nothing; "
                            + "while no secret is set they take any request."));
        }
        amendments.forEach(amendment -> amendment.amend(api));
    }

    private static void document(Operation operation, boolean secured) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        if (secured) {
            operation.setSecurity(List.of(new SecurityRequirement().addList(CLUSTER_SECRET)));
            responses.putIfAbsent("401", new ApiResponse()
                    .description("The cluster secret (header " + ClusterSettings.SECRET_HEADER + ") is missing or "
                            + "wrong, while replog.cluster.secret is set: refused before the body is read, nothing "
                            + "changed")
                    .addHeaderObject("WWW-Authenticate", new Header().description("Replog-Secret realm=\"replog-cluster\"")
                            .schema(typed("string"))));
        } else {
            operation.setSecurity(new ArrayList<>()); // public: needs nothing
        }
        responses.putIfAbsent("500", new ApiResponse().description("Unexpected error (the node logs it)"));
        for (Map.Entry<String, ApiResponse> response : responses.entrySet()) {
            int status = statusOf(response.getKey());
            if (status >= 300) {
                problemContent(response.getValue());
            }
            if (status == 307 && (response.getValue().getHeaders() == null
                    || !response.getValue().getHeaders().containsKey("Location"))) {
                response.getValue().addHeaderObject("Location", new Header()
                        .description("The same request (path and query) on the active master")
                        .schema(typed("string").format("uri")));
            }
        }
        operation.setResponses(responses);
        sortResponses(operation);
    }

    /**
     * For an {@link Amendment}: {@code status} is answered with a problem also
     * when {@code why} — added to its description, or a new answer of the operation.
     */
    public static void addProblem(Operation operation, String status, String why) {
        ApiResponse response = operation.getResponses().get(status);
        if (response == null) {
            response = new ApiResponse().description(why);
            operation.getResponses().addApiResponse(status, response);
        } else {
            response.setDescription(response.getDescription() + ". Also: " + why);
        }
        problemContent(response);
        sortResponses(operation);
    }

    private static void sortResponses(Operation operation) {
        ApiResponses sorted = new ApiResponses();
        operation.getResponses().entrySet().stream()
                .sorted(Comparator.comparingInt(entry -> statusOf(entry.getKey())))
                .forEach(entry -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
        operation.setResponses(sorted);
    }

    /** The answer's body is a problem: the {@code Problem} schema, with the members the annotation named. */
    private static void problemContent(ApiResponse response) {
        MediaType given = response.getContent() == null ? null : response.getContent().get(PROBLEM_JSON);
        MediaType problem = given == null ? new MediaType() : given;
        Schema<?> schema = problem.getSchema();
        if (schema == null || isEmpty(schema)) {
            problem.setSchema(new Schema<>().$ref(PROBLEM_REF));
        } else if (!PROBLEM_REF.equals(schema.get$ref()) && !extendsProblem(schema)) {
            problem.setSchema(new Schema<>().allOf(List.of(new Schema<>().$ref(PROBLEM_REF), schema)));
        }
        response.setContent(new Content().addMediaType(PROBLEM_JSON, problem));
    }

    private static boolean isEmpty(Schema<?> schema) {
        return schema.get$ref() == null && schema.getType() == null && (schema.getTypes() == null
                || schema.getTypes().isEmpty()) && schema.getProperties() == null && schema.getAllOf() == null;
    }

    private static boolean extendsProblem(Schema<?> schema) {
        return schema.getAllOf() != null && !schema.getAllOf().isEmpty()
                && PROBLEM_REF.equals(schema.getAllOf().get(0).get$ref());
    }

    /** The status of a response key; "default" and other non-numbers sort last and count as no status. */
    private static int statusOf(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException notANumber) {
            return Integer.MAX_VALUE;
        }
    }

    /** RFC 9457 problem details, as {@link ProblemHandler} writes them. */
    static Schema<Object> problem() {
        Schema<Object> problem = typed("object")
                .description("An RFC 9457 problem: every error a replog node answers. Members beyond these five "
                        + "say more about the problem at hand; the answers that carry some name them.")
                .addProperty("type", typed("string").format("uri-reference")
                        .description("The kind of problem, e.g. https://replog.dev/problems/read-only"))
                .addProperty("title", typed("string").description("The kind of problem, for people, e.g. Read-only"))
                .addProperty("status", typed("integer").format("int32").description("The HTTP status"))
                .addProperty("detail", typed("string").description("What went wrong here, and what to do about it"))
                .addProperty("instance", typed("string").format("uri-reference").description("The request's path"))
                .required(List.of("type", "title", "status"));
        problem.setAdditionalProperties(Boolean.TRUE);
        return problem;
    }

    /**
     * A component schema for {@link #schema}: an object of the members {@code nameTypeDescription}
     * (name, JSON type, description, repeated), e.g. the members a problem adds.
     */
    public static Schema<Object> members(String description, String... nameTypeDescription) {
        if (nameTypeDescription.length % 3 != 0) {
            throw new IllegalArgumentException("name, type, description for each member");
        }
        Schema<Object> members = typed("object").description(description);
        for (int i = 0; i < nameTypeDescription.length; i += 3) {
            members.addProperty(nameTypeDescription[i],
                    typed(nameTypeDescription[i + 1]).description(nameTypeDescription[i + 2]));
        }
        return members;
    }

    /** A schema of one JSON type, as both OpenAPI 3.0 ({@code type}) and 3.1 ({@code types}) read it. */
    public static Schema<Object> typed(String type) {
        Schema<Object> schema = new Schema<>();
        schema.setType(type);
        schema.setTypes(Set.of(type));
        return schema;
    }
}
