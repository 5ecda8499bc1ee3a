package dev.replog.master;

import static dev.replog.master.RunningMaster.awaitMode;
import static dev.replog.master.RunningMaster.client;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A single-node master (n=1) restarted on the same data dir keeps its log, continues the seq,
 * hands out larger ids, takes a larger epoch, and still recognises idempotency keys.
 */
class MasterRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartedMasterKeepsItsLogIdsEpochAndIdempotencyKeys() {
        long firstId;
        long firstEpoch;
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            awaitMode(web, "READ_WRITE");
            firstId = write(web, "before", "key-1", 201).path("id").asLong();
            write(web, "before-2", null, 201);
            web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "batch-1")
                    .bodyValue("{\"messages\":[\"b1\",\"b2\"]}").exchange().expectStatus().isCreated();
            firstEpoch = web.get().uri("/health").exchange().expectBody(tools.jackson.databind.JsonNode.class)
                    .returnResult().getResponseBody().path("epoch").asLong();
        }
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            awaitMode(web, "READ_WRITE");
            web.get().uri("/messages").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.length()").isEqualTo(4)
                    .jsonPath("$[0].message").isEqualTo("before")
                    .jsonPath("$[1].message").isEqualTo("before-2");
            tools.jackson.databind.JsonNode replay = write(web, "before", "key-1", 200);
            assertThat(replay.path("seq").asLong()).isEqualTo(1);
            assertThat(replay.path("id").asLong()).isEqualTo(firstId);
            // a batch's key is stored on each of its records: the whole batch is replayed
            web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "batch-1")
                    .bodyValue("{\"messages\":[\"b1\",\"b2\"]}").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.first").isEqualTo(3).jsonPath("$.last").isEqualTo(4);
            tools.jackson.databind.JsonNode after = write(web, "after", null, 201);
            assertThat(after.path("seq").asLong()).isEqualTo(5);
            assertThat(after.path("id").asLong()).isGreaterThan(firstId + 3);
            web.get().uri("/health").exchange().expectBody()
                    .jsonPath("$.epoch").value(epoch -> assertThat(((Number) epoch).longValue()).isGreaterThan(firstEpoch));
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MasterApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--replog.data-dir=" + dataDir,
                "--spring.main.banner-mode=off");
    }

    private static tools.jackson.databind.JsonNode write(WebTestClient web, String message, String key, int status) {
        WebTestClient.RequestBodySpec request = web.post().uri("/messages").contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.bodyValue("{\"message\":\"" + message + "\"}").exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(tools.jackson.databind.JsonNode.class).returnResult().getResponseBody();
    }
}
