package dev.replog.master;

import static dev.replog.master.RunningMaster.awaitMode;
import static dev.replog.master.RunningMaster.client;
import static dev.replog.master.RunningMaster.health;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.master.sync.FakeSyncNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A single-node master (n=1) whose ids and epochs come from a sync cluster (an in-JVM stand-in
 * plus a dead node): ids increase across restarts; with the sync cluster down it keeps writing on
 * its prefetched ranges and then answers 503 saying why; writes resume when it is back; and it
 * does not leave RECOVERING while the sync cluster cannot give it ids and an epoch.
 */
class MasterSyncTest {

    private static final int RANGE = 5;

    @TempDir
    Path dataDir;

    private FakeSyncNode sync;

    @BeforeEach
    void startSync() {
        sync = new FakeSyncNode();
    }

    @AfterEach
    void stopSync() {
        sync.close();
    }

    @Test
    void idsIncreaseAcrossRestartsAndWritesContinueOnPrefetchedIdsThen503UntilTheSyncClusterIsBack() {
        List<Long> ids = new ArrayList<>();
        long firstEpoch;
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            awaitMode(web, "READ_WRITE");
            JsonNode health = health(web);
            assertThat(health.path("ids").path("source").asString()).isEqualTo("sync");
            assertThat(health.path("ids").path("remaining").asLong()).isEqualTo(2 * RANGE);
            firstEpoch = health.path("epoch").asLong();
            for (int i = 0; i < 3; i++) {
                ids.add(write(web, "first-" + i, 201).path("id").asLong());
            }
        }
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("epoch").asLong()).isGreaterThan(firstEpoch);
            // Two fresh ranges above the two the first run held: its unused ids are a gap.
            sync.down(true);
            for (int i = 0; i < 2 * RANGE - 2; i++) {
                ids.add(write(web, "second-" + i, 201).path("id").asLong());
            }
            assertThat(ids.get(3)).isGreaterThan(2L * RANGE);
            // Two ids left, a batch of three: it waits for ids, gets none, and appends nothing (the two
            // ids it took become a gap).
            JsonNode refusedBatch = batch(web, List.of("b1", "b2", "b3"), 503);
            assertThat(refusedBatch.path("title").asString()).isEqualTo("No permanent ids");
            assertThat(health(web).path("lastSeq").asLong()).isEqualTo(3 + 2 * RANGE - 2);
            JsonNode refused = web.post().uri("/messages").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"message\":\"no ids\"}").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(refused.path("title").asString()).isEqualTo("No permanent ids");
            assertThat(refused.path("detail").asString())
                    .contains("no permanent ids: the sync cluster is unreachable and the prefetched ranges are spent");
            assertThat(health(web).path("ids").path("remaining").asLong()).isZero();
            long lastSeq = health(web).path("lastSeq").asLong();
            assertThat(lastSeq).as("the refused writes appended nothing").isEqualTo(3 + 2 * RANGE - 2);

            sync.down(false);
            batch(web, List.of("after-1", "after-2", "after-3"), 201).path("ids").forEach(id -> ids.add(id.asLong()));
            ids.add(write(web, "after", 201).path("id").asLong());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize(3 + 2 * RANGE - 2 + 3 + 1);
    }

    @Test
    void theMasterStaysStandbyWhileTheSyncClusterIsDownAndLeadsWhenItIsBack() {
        sync.down(true);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            // without the sync cluster it cannot know whether another instance leads: it waits for the lease
            org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> "STANDBY".equals(health(web).path("mode").asString()));
            assertThat(write(web, "too early", 503).path("title").asString()).isEqualTo("No master");
            sync.down(false);
            awaitMode(web, "READ_WRITE");
            assertThat(write(web, "now", 201).path("id").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aMasterRestartedBeforeItsFormerLeasePassedAnswersNoMasterNotARedirectToItselfThenLeads() {
        String self = "http://127.0.0.1:9";
        // its former incarnation was killed holding the lease: the lock names this instance's own URL
        sync.hold("replog-master", self + "#master-killed", Duration.ofSeconds(8));
        try (ConfigurableApplicationContext master = start("--replog.advertised-url=" + self)) {
            WebTestClient web = client(master);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> "STANDBY".equals(health(web).path("mode").asString()));
            JsonNode refused = write(web, "while the dead incarnation's lease lasts", 503);
            assertThat(refused.path("title").asString()).isEqualTo("No master");
            assertThat(health(web).has("activeMaster")).as("it names no active master: not itself").isFalse();
            awaitMode(web, "READ_WRITE");
            assertThat(write(web, "now", 201).path("id").asLong()).isEqualTo(1);
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1", "--replog.data-dir=" + dataDir,
                "--spring.main.banner-mode=off",
                "--replog.sync.nodes=http://127.0.0.1:9," + sync.url(),
                "--replog.sync.request-timeout=1s",
                "--replog.sync.initial-backoff=20ms",
                "--replog.sync.max-backoff=100ms",
                "--replog.ids.range-size=" + RANGE,
                "--replog.ids.wait-timeout=500ms",
                "--replog.heartbeat.interval=100ms"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(MasterApplication.class).run(args.toArray(String[]::new));
    }

    private static JsonNode batch(WebTestClient web, List<String> messages, int status) {
        return web.post().uri("/messages/batch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("messages", messages)).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static JsonNode write(WebTestClient web, String message, int status) {
        return web.post().uri("/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"" + message + "\"}").exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
