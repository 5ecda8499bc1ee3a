package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.info.BuildProperties;

/** What ApiDocument does to a document springdoc built from annotations (the services' tests check the real ones). */
@SuppressWarnings("rawtypes") // swagger-models' Schema.getAllOf() is a List<Schema>
class ApiDocumentTest {

    private static final String PROBLEM_JSON = ApiDocument.PROBLEM_JSON;

    @Test
    void everyErrorBecomesAProblemAndInternalPathsNeedTheSecret() {
        Operation write = new Operation().responses(new ApiResponses()
                .addApiResponse("400", new ApiResponse().description("bad"))
                .addApiResponse("201", new ApiResponse().description("ok"))
                .addApiResponse("409", new ApiResponse().description("held").content(new Content()
                        .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Held")))))
                .addApiResponse("307", new ApiResponse().description("elsewhere").content(new Content()
                        .addMediaType("*/*", new MediaType().schema(new Schema<>().$ref("#/components/schemas/Result"))))));
        Operation append = new Operation().responses(new ApiResponses().addApiResponse("200", new ApiResponse()));
        OpenAPI api = new OpenAPI().paths(new Paths()
                .addPathItem("/things", new PathItem().post(write))
                .addPathItem("/replication/append", new PathItem().post(append)));
        Properties info = new Properties();
        info.setProperty("version", "1.2.3");
        BuildProperties build = new BuildProperties(info);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("build", build);

        ApiDocument.Amendment retitle = document -> document.getInfo().title(document.getInfo().getTitle() + "!");
        new ApiDocument("replog test", "a node", beans.getBeanProvider(BuildProperties.class),
                path -> path.startsWith("/replication/"))
                .amendedBy(List.of(retitle))
                .customise(api);

        assertThat(api.getInfo().getTitle()).isEqualTo("replog test!");
        assertThat(api.getInfo().getVersion()).isEqualTo("1.2.3");
        assertThat(api.getComponents().getSchemas().get("Problem").getProperties())
                .containsOnlyKeys("type", "title", "status", "detail", "instance");
        assertThat(write.getResponses()).containsOnlyKeys("201", "307", "400", "409", "500");
        assertThat(List.copyOf(write.getResponses().keySet())).containsExactly("201", "307", "400", "409", "500");
        assertThat(write.getResponses().get("400").getContent()).containsOnlyKeys(PROBLEM_JSON);
        assertThat(write.getResponses().get("400").getContent().get(PROBLEM_JSON).getSchema().get$ref())
                .isEqualTo(ApiDocument.PROBLEM_REF);
        assertThat(write.getResponses().get("307").getContent()).containsOnlyKeys(PROBLEM_JSON);
        assertThat(write.getResponses().get("307").getHeaders()).containsKey("Location");
        List<Schema> allOf = write.getResponses().get("409").getContent().get(PROBLEM_JSON).getSchema().getAllOf();
        assertThat(allOf.stream().map(Schema::get$ref).toList())
                .containsExactly(ApiDocument.PROBLEM_REF, "#/components/schemas/Held");
        assertThat(write.getResponses().get("201").getContent()).isNull();
        assertThat(write.getSecurity()).isEmpty();

        assertThat(append.getSecurity()).hasSize(1);
        assertThat(append.getSecurity().get(0)).containsOnlyKeys(ApiDocument.CLUSTER_SECRET);
        assertThat(append.getResponses()).containsKeys("401", "500");
        assertThat(api.getComponents().getSecuritySchemes().get(ApiDocument.CLUSTER_SECRET).getName())
                .isEqualTo(ClusterSettings.SECRET_HEADER);
    }
}
