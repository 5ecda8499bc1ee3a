package dev.replog.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.web.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
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
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * One sync node with {@code replog.cluster.secret} set, its two peers played by small HTTP servers
 * that answer only requests carrying the secret. The node can join (so it sent the secret to its
 * peers), and its {@code /paxos/**} refuses callers without the secret with 401, changing nothing;
 * the secret shows in no log line and no actuator answer.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "replog.node-name=sync-under-test", "replog.sync.node-id=1",
        "replog.sync.join-check-interval=100ms", "management.endpoints.web.exposure.include=*",
        "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class ClusterSecretTest {

    static final String SECRET = "sync-secret-" + UUID.randomUUID();
    static final Queue<String> PEER_SAW = new ConcurrentLinkedQueue<>();
    // its own event loop: the Spring context's shutdown disposes the shared reactor-netty resources
    static final LoopResources LOOPS = LoopResources.create("fake-peers", 1, true);
    static final List<DisposableServer> PEERS = List.of(fakePeer(), fakePeer());

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("replog.data-dir", dataDir::toString);
        registry.add("replog.cluster.secret", () -> SECRET);
        // this node is first; nothing listens on port 9 and it is never called (a node skips itself)
        registry.add("replog.sync.peers", () -> "http://127.0.0.1:9,http://127.0.0.1:" + PEERS.get(0).port()
                + ",http://127.0.0.1:" + PEERS.get(1).port());
    }

    /** A peer of a new cluster (no state, has never voted); it answers only callers with the secret. */
    static DisposableServer fakePeer() {
        return HttpServer.create().host("127.0.0.1").port(0).runOn(LOOPS)
                .route(routes -> routes.get("/paxos/state-summary", (request, response) -> {
                    String presented = request.requestHeaders().get(ClusterSettings.SECRET_HEADER);
                    PEER_SAW.add(String.valueOf(presented));
                    if (!SECRET.equals(presented)) {
                        return response.status(401).send();
                    }
                    return response.header("Content-Type", "application/json")
                            .sendString(reactor.core.publisher.Mono.just(
                                    "{\"node\":\"fake\",\"status\":\"JOINING\",\"keys\":0,\"maxBallot\":null}"))
                            .then();
                }))
                .bindNow();
    }

    @AfterAll
    static void stopPeers() {
        PEERS.forEach(DisposableServer::disposeNow);
        LOOPS.dispose();
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private Membership membership;

    @Test
    void theNodeSendsTheSecretToItsPeersAndSoJoins() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> membership.status() == Membership.Status.VOTING);
        assertThat(PEER_SAW).isNotEmpty().allMatch(SECRET::equals);
    }

    @Test
    void paxosRequestsWithoutTheSecretAreRefused401AndChangeNothing() {
        String keysBefore = keys();
        String prepare = "{\"key\":\"seq.t-" + UUID.randomUUID() + "\",\"ballot\":{\"counter\":7,\"nodeId\":2}}";
        for (String path : List.of("/paxos/prepare", "/paxos/accept")) {
            for (String presented : new String[] {null, "wrong-secret"}) {
                WebTestClient.RequestBodySpec request = client.post().uri(path).contentType(MediaType.APPLICATION_JSON);
                if (presented != null) {
                    request.header(ClusterSettings.SECRET_HEADER, presented);
                }
                request.bodyValue(prepare).exchange()
                        .expectStatus().isUnauthorized()
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody()
                        .jsonPath("$.status").isEqualTo(401)
                        .jsonPath("$.title").isEqualTo("Unauthorized")
                        .jsonPath("$.instance").isEqualTo(path);
            }
        }
        client.get().uri("/paxos/keys").exchange().expectStatus().isUnauthorized();
        client.get().uri("/paxos/state-summary").exchange().expectStatus().isUnauthorized();
        assertThat(keys()).isEqualTo(keysBefore);
    }

    @Test
    void aPaxosRequestWithTheSecretIsServed() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> membership.status() == Membership.Status.VOTING);
        String key = "seq.t-" + UUID.randomUUID();
        client.post().uri("/paxos/prepare").header(ClusterSettings.SECRET_HEADER, SECRET)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"key\":\"" + key + "\",\"ballot\":{\"counter\":7,\"nodeId\":2}}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.ok").isEqualTo(true);
        assertThat(keys()).contains(key);
    }

    @Test
    void theSecretAppearsInNoActuatorAnswerAndNoLogLine(CapturedOutput output) {
        client.get().uri("/paxos/keys").header(ClusterSettings.SECRET_HEADER, "wrong").exchange()
                .expectStatus().isUnauthorized();
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/env/replog.cluster.secret",
                "/actuator/configprops", "/actuator/health", "/actuator/info", "/actuator/metrics",
                "/actuator/prometheus")) {
            // generous: a loaded build machine may take seconds for the first scrape
            String body = client.mutate().responseTimeout(Duration.ofSeconds(30)).build().get().uri(path).accept(MediaType.ALL).exchange()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as("GET %s", path).isNotNull().doesNotContain(SECRET);
        }
        assertThat(output.getAll()).contains("Refused GET /paxos/keys").doesNotContain(SECRET);
    }

    private String keys() {
        return client.get().uri("/paxos/keys").header(ClusterSettings.SECRET_HEADER, SECRET).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
