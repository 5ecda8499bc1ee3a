package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.web.ClusterSettings;
import dev.replog.master.MasterWebTest;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The master with {@code replog.cluster.secret} set sends it with its internal requests (here the
 * heartbeats and appends to a stand-in secondary, which go over different clients), and it shows
 * in no log line and no actuator answer.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "replog.heartbeat.interval=100ms",
        "management.endpoints.web.exposure.include=*", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class ClusterSecretTest extends MasterWebTest {

    static final String SECRET = "master-secret-" + UUID.randomUUID();
    static final Queue<String> SECONDARY_SAW = new ConcurrentLinkedQueue<>();
    /** The epoch the stand-in secondary follows: the one of the recovering master's fence. */
    static final AtomicLong EPOCH = new AtomicLong();
    /**
     * Records the secret header of every request; answers heartbeats as an empty secondary, takes
     * the recovering master's fence (an empty batch) so that it recovers and replicates to it, and
     * answers appends of entries 503 (so they are retried).
     */
    @AutoClose
    static final StandInSecondary SECONDARY = new StandInSecondary((request, response) -> {
        SECONDARY_SAW.add(request.uri() + " " + request.requestHeaders().get(ClusterSettings.SECRET_HEADER));
        if (request.uri().startsWith("/replication/status")) {
            return response.status(200).header("Content-Type", "application/json")
                    .sendString(Mono.fromSupplier(() -> "{\"name\":\"s1\",\"ackedSeq\":0,\"lastId\":0,\"epoch\":"
                            + EPOCH.get() + "}")).then();
        }
        return request.receive().aggregate().asByteArray().flatMap(body -> {
            AppendRequest append = JsonMapper.shared().readValue(body, AppendRequest.class);
            if (!append.entries().isEmpty()) {
                return response.status(503).send().then();
            }
            EPOCH.accumulateAndGet(append.epoch(), Math::max);
            return response.status(200).header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"ackedSeq\":0,\"epoch\":" + EPOCH.get() + "}")).then();
        });
    });

    @DynamicPropertySource
    static void secondary(DynamicPropertyRegistry registry) {
        registry.add("replog.cluster.secret", () -> SECRET);
        registry.add("replog.secondaries", SECONDARY::asSecondaries);
    }

    @Test
    void heartbeatsAndAppendsToASecondaryCarryTheSecret() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> SECONDARY_SAW.stream().anyMatch(seen -> seen.startsWith("/replication/status")));
        await().atMost(Duration.ofSeconds(20)).until(() -> web.post().uri("/messages?w=1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"shipped\"}")
                .exchange().returnResult(String.class).getStatus().value() == 201);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> SECONDARY_SAW.stream().anyMatch(seen -> seen.startsWith("/replication/append")));
        assertThat(SECONDARY_SAW).allMatch(seen -> seen.endsWith(" " + SECRET), "carries the secret");
    }

    @Test
    void theSecretAppearsInNoActuatorAnswerAndNoLogLine(CapturedOutput output) {
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/env/replog.cluster.secret",
                "/actuator/configprops", "/actuator/health", "/actuator/info", "/actuator/metrics",
                "/actuator/prometheus", "/health")) {
            // generous: a loaded build machine may take seconds for the first scrape
            String body = web.mutate().responseTimeout(Duration.ofSeconds(30)).build().get().uri(path).accept(MediaType.ALL).exchange()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as("GET %s", path).isNotNull().doesNotContain(SECRET);
        }
        assertThat(output.getAll()).contains("Cluster of n=2").doesNotContain(SECRET);
    }
}
