package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.web.ClusterSettings;
import dev.replog.secondary.TestDataDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With {@code replog.cluster.secret} set, {@code /replication/**} refuses callers without it (401
 * problem+json, nothing stored) while public reads stay open; the secret shows neither in the log
 * output nor in any actuator endpoint, even with all of them exposed.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"replog.node-name=secondary-under-test", "spring.reactor.netty.shutdown-quiet-period=0s",
                "management.endpoints.web.exposure.include=*", "logging.level.dev.replog=DEBUG"})
@AutoConfigureWebTestClient
class ClusterSecretTest {

    static final String SECRET = "secondary-secret-" + UUID.randomUUID();

    @TempDir
    static Path dataDirs;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        TestDataDirs.register(registry, dataDirs);
        registry.add("replog.cluster.secret", () -> SECRET);
    }

    @Autowired
    private WebTestClient client;

    @Test
    void anAppendWithoutTheSecretIsRefused401AndStoresNothing() {
        String logBefore = messages();
        String statusBefore = status();
        for (String presented : new String[] {null, "", "wrong", SECRET.substring(1), SECRET + "x"}) {
            WebTestClient.RequestBodySpec append = client.post().uri(ReplicationPaths.APPEND)
                    .contentType(MediaType.APPLICATION_JSON);
            if (presented != null) {
                append.header(ClusterSettings.SECRET_HEADER, presented);
            }
            append.bodyValue(batch(1, 1, 3)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(401)
                    .jsonPath("$.title").isEqualTo("Unauthorized")
                    .jsonPath("$.type").isEqualTo("https://replog.dev/problems/unauthorized")
                    .jsonPath("$.instance").isEqualTo(ReplicationPaths.APPEND);
        }
        client.get().uri(ReplicationPaths.STATUS).exchange().expectStatus().isUnauthorized();

        assertThat(messages()).isEqualTo(logBefore);
        assertThat(status()).isEqualTo(statusBefore);
    }

    private String messages() {
        return client.get().uri("/messages").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private String status() {
        return client.get().uri(ReplicationPaths.STATUS).header(ClusterSettings.SECRET_HEADER, SECRET).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void anAppendWithTheSecretIsStored() {
        client.post().uri(ReplicationPaths.APPEND).header(ClusterSettings.SECRET_HEADER, SECRET)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(batch(1, 1, 2)).exchange()
                .expectStatus().isOk().expectBody(AppendResponse.class).isEqualTo(new AppendResponse(2, 1));
        client.get().uri("/messages").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(2);
    }

    @Test
    void theSecretAppearsInNoActuatorAnswerAndNoLogLine(CapturedOutput output) {
        // a refused and an accepted request first, so their log lines are in the output
        client.get().uri(ReplicationPaths.STATUS).header(ClusterSettings.SECRET_HEADER, "wrong").exchange()
                .expectStatus().isUnauthorized();
        client.get().uri(ReplicationPaths.STATUS).header(ClusterSettings.SECRET_HEADER, SECRET).exchange()
                .expectStatus().isOk();
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/env/replog.cluster.secret",
                "/actuator/configprops", "/actuator/configprops/replog", "/actuator/health", "/actuator/info",
                "/actuator/metrics", "/actuator/prometheus", "/actuator/loggers")) {
            // generous: a loaded build machine may take seconds for the first scrape
            String body = client.mutate().responseTimeout(Duration.ofSeconds(30)).build().get().uri(path).accept(MediaType.ALL).exchange()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as("GET %s", path).isNotNull().doesNotContain(SECRET);
        }
        String configprops = client.get().uri("/actuator/configprops/replog").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(configprops).as("the property is listed, masked").contains("cluster");
        assertThat(output.getAll()).contains("Refused GET " + ReplicationPaths.STATUS).doesNotContain(SECRET);
    }
}
