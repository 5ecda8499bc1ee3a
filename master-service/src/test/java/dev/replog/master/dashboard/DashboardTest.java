package dev.replog.master.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dashboard's side of the master: the page at {@code /}, and the fault switches of a
 * faulty-secondary reached through {@code /cluster/nodes/{name}/faults}, with a problem+json answer
 * for every way that can fail (unknown node, a node without switches, a refused change, a node that
 * does not answer in time). The faulty node is an in-JVM stand-in; a plain secondary answers 404 to
 * /faults like the real one; "dead" listens nowhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "replog.heartbeat.interval=200ms",
        "replog.heartbeat.timeout=500ms"})
@AutoConfigureWebTestClient
class DashboardTest {

    @TempDir
    static Path dataDir;

    private static FakeFaultyNode faulty;
    private static PlainNode plain;

    @Autowired
    WebTestClient web;

    @BeforeAll
    static void startNodes() {
        faulty = new FakeFaultyNode();
        plain = new PlainNode();
    }

    @AfterAll
    static void stopNodes() {
        faulty.close();
        plain.close();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("replog.data-dir", () -> dataDir.toString());
        // port 9 (discard) on loopback: nothing listens
        registry.add("replog.secondaries", () -> "faulty=" + faulty.url() + ",plain=" + plain.url()
                + ",dead=http://127.0.0.1:9");
    }

    @Test
    void theMasterServesTheDashboardAtTheRoot() {
        String page = web.get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<title>replog", "dashboard.js", "dashboard.css");
        web.get().uri("/dashboard.js").exchange().expectStatus().isOk()
                .expectBody(String.class).value(js -> assertThat(js).contains("EventSource", "/health"));
        web.get().uri("/dashboard.css").exchange().expectStatus().isOk();
    }

    @Test
    void theOpenApiDocumentDescribesTheFaultRelay() {
        // The first OpenAPI document is generated on demand: slow on a loaded machine.
        web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/cluster/nodes/{name}/faults'].get.responses['404']").exists()
                .jsonPath("$.paths['/cluster/nodes/{name}/faults'].put.responses['502']").exists();
    }

    @Test
    void healthGivesEveryNodesEpochOnceItAnsweredAndNullBefore() {
        web.get().uri("/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[0].epoch").isEqualTo(0)
                .jsonPath("$.nodes[3].name").isEqualTo("dead")
                .jsonPath("$.nodes[3].epoch").doesNotExist();
    }

    @Test
    void aFaultySecondarysSwitchesAreReadAndChangedThroughTheMaster() {
        web.get().uri("/cluster/nodes/faulty/faults").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.down").isEqualTo(false);
        web.put().uri("/cluster/nodes/faulty/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"down\": true}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.down").isEqualTo(true);
        assertThat(faulty.down()).isTrue();
        web.put().uri("/cluster/nodes/faulty/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"down\": false}").exchange()
                .expectStatus().isOk();
        assertThat(faulty.down()).isFalse();
    }

    @Test
    void aChangeTheNodeRefusesIsRelayedAsItsProblemAndChangesNothing() {
        web.put().uri("/cluster/nodes/faulty/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"delayMs\": -1}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Faults refused")
                .jsonPath("$.node").isEqualTo("faulty")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("delayMs must be"));
        assertThat(faulty.down()).isFalse();
    }

    @Test
    void anUnknownNodeIsA404ProblemNamingTheKnownOnes() {
        web.get().uri("/cluster/nodes/nope/faults").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Unknown node")
                .jsonPath("$.nodes[0]").isEqualTo("faulty");
    }

    @Test
    void theMasterAndAPlainSecondaryHaveNoSwitches() {
        for (String node : new String[] {"master", "plain"}) {
            web.get().uri("/cluster/nodes/{name}/faults", node).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.title").isEqualTo("No fault switches")
                    .jsonPath("$.node").isEqualTo(node);
        }
    }

    @Test
    void aNodeThatDoesNotAnswerInTimeOrAtAllIsA502Problem() {
        web.get().uri("/cluster/nodes/dead/faults").exchange()
                .expectStatus().isEqualTo(502)
                .expectBody().jsonPath("$.title").isEqualTo("Node unreachable");
        faulty.slow(Duration.ofSeconds(3));
        try {
            web.mutate().responseTimeout(Duration.ofSeconds(10)).build()
                    .get().uri("/cluster/nodes/faulty/faults").exchange()
                    .expectStatus().isEqualTo(502)
                    .expectBody().jsonPath("$.detail").value(detail ->
                            assertThat(detail.toString()).contains("no answer within 500 ms"));
        } finally {
            faulty.slow(Duration.ZERO);
        }
    }
}
