package dev.replog.master.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.master.MasterApplication;
import dev.replog.master.log.FakeSyncNode;
import dev.replog.master.replication.StandInSecondary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A master with state whose restart finds that the sync cluster handed an epoch to someone else
 * since its last (another master started, and may have led) does not trust its log: it waits for
 * every secondary, not a quorum. Here nothing betrays that other master to the heartbeats: the
 * secondary that answers follows this master's old epoch when it is heard, and the epoch of the
 * other master shows only in the sync cluster's sequence (as when two masters recover at the same
 * instant and the other fenced this secondary between its heartbeat and this master's fence).
 * Its own entries that no secondary contradicts stay in its log. A master without state does not
 * take a quorum of empty nodes for a new cluster once the sync cluster has handed out epochs.
 */
@ExtendWith(OutputCaptureExtension.class)
class EpochTakenElsewhereTest {

    @TempDir
    Path dataDir;

    private final FakeSyncNode sync = new FakeSyncNode();
    private final EmptySecondary first = new EmptySecondary("s1");
    private final EmptySecondary second = new EmptySecondary("s2");

    @AfterEach
    void close() {
        first.close();
        second.close();
        sync.close();
    }

    @Test
    void aRestartAfterAnEpochTakenElsewhereWaitsForEverySecondary(CapturedOutput output) {
        second.up.set(false);
        long firstEpoch;
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            // a new cluster: a quorum with no history is enough
            awaitMode(web, "READ_WRITE");
            firstEpoch = health(web).path("epoch").asLong();
            web.post().uri("/messages?w=1").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"message\":\"own\"}").exchange().expectStatus().isCreated();
        }
        assertThat(first.epoch.get()).isEqualTo(firstEpoch);

        sync.takeElsewhere("master-epoch", 1);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "RECOVERING".equals(health(web).path("mode").asString()));
            assertThat(output.getAll()).contains("to someone else: another master has led since");
            assertThat(health(web).path("recovering").asString())
                    .matches("(heard|fenced) 1 of 2 secondaries; need every secondary \\(this master has no state of its own\\)");

            second.up.set(true);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("epoch").asLong()).isEqualTo(firstEpoch + 2);
            assertThat(health(web).has("recovering")).as("said only while RECOVERING").isFalse();
            web.get().uri("/messages").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.length()").isEqualTo(1)
                    .jsonPath("$[0].message").isEqualTo("own");
        }
    }

    @Test
    void aMasterWithoutStateTakesNoShortcutOnceTheSyncClusterHandedOutEpochs(CapturedOutput output) {
        // a wiped master and a wiped secondary look like a new cluster, but masters took epochs before
        sync.takeElsewhere("master-epoch", 5);
        second.up.set(false);
        first.takesFence.set(false);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "RECOVERING".equals(health(web).path("mode").asString()));
            assertThat(output.getAll()).contains("Took epoch 6");
        }
        assertThat(first.epoch.get()).as("the fence never reached s1").isZero();
        // Restarted: the epoch it recorded hides the gap (the next one follows it) and s1 still looks
        // new, but a data dir that took an epoch is no new cluster.
        first.takesFence.set(true);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "RECOVERING".equals(health(web).path("mode").asString()));
            assertThat(health(web).path("recovering").asString())
                    .isEqualTo("heard 1 of 2 secondaries; need every secondary (this master has no state of its own)");

            second.up.set(true);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("epoch").asLong()).isEqualTo(7);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MasterApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--replog.data-dir=" + dataDir,
                "--spring.main.banner-mode=off",
                "--replog.secondaries=" + first.asSecondary() + "," + second.asSecondary(),
                "--replog.sync.nodes=" + sync.url(),
                "--replog.heartbeat.interval=100ms",
                "--spring.reactor.netty.shutdown-quiet-period=0s");
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static JsonNode health(WebTestClient web) {
        return web.get().uri("/health").exchange().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static void awaitMode(WebTestClient web, String mode) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> mode.equals(health(web).path("mode").asString()));
    }

    /**
     * A secondary with an empty log that follows the highest epoch it is sent (a fence is an empty
     * batch) and refuses batches of entries (503: the master retries them); {@link #up} false makes
     * it answer 503 to everything, as a node that is down to the master.
     */
    private static final class EmptySecondary implements AutoCloseable {

        final AtomicBoolean up = new AtomicBoolean(true);
        /** False: it answers every append 503, a fence too, while heartbeats still reach it. */
        final AtomicBoolean takesFence = new AtomicBoolean(true);
        final AtomicLong epoch = new AtomicLong();
        private final String name;
        private final StandInSecondary server;

        EmptySecondary(String name) {
            this.name = name;
            this.server = new StandInSecondary((request, response) -> {
                if (!up.get()) {
                    return response.status(503).send().then();
                }
                if (request.uri().startsWith("/replication/status")) {
                    return response.status(200).header("Content-Type", "application/json")
                            .sendString(Mono.fromSupplier(() -> "{\"name\":\"" + name
                                    + "\",\"ackedSeq\":0,\"lastId\":0,\"epoch\":" + epoch.get() + "}"))
                            .then();
                }
                return request.receive().aggregate().asByteArray().flatMap(body -> {
                    AppendRequest append = JsonMapper.shared().readValue(body, AppendRequest.class);
                    if (!takesFence.get() || !append.entries().isEmpty() || append.epoch() < epoch.get()) {
                        return response.status(503).send().then();
                    }
                    epoch.accumulateAndGet(append.epoch(), Math::max);
                    return response.status(200).header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"ackedSeq\":0,\"epoch\":" + epoch.get() + "}")).then();
                });
            });
        }

        String asSecondary() {
            return server.asSecondary(name);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
