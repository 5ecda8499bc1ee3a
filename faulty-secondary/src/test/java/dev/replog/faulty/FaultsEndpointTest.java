package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.secondary.SecondaryWebTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code GET/PUT /faults} and {@code POST /faults/reset}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.reactor.netty.shutdown-quiet-period=0s")
@AutoConfigureWebTestClient
class FaultsEndpointTest extends SecondaryWebTest {

    private static final FaultSettings SOME = new FaultSettings(0.25, 0.5, 100, 20, false);

    @BeforeEach
    void someFaultsAreOn() {
        put("{\"errorBeforeAppend\":0.25,\"errorAfterAppend\":0.5,\"delayMs\":100,\"delayJitterMs\":20,\"down\":false}")
                .expectStatus().isOk()
                .expectBody(FaultSettings.class).isEqualTo(SOME);
    }

    @Test
    void getShowsTheFaultsInForce() {
        client.get().uri("/faults").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"errorBeforeAppend\":0.25,\"errorAfterAppend\":0.5,\"delayMs\":100,"
                        + "\"delayJitterMs\":20,\"down\":false}", true);
    }

    @Test
    void putReplacesTheFieldsPresentAndKeepsTheOthers() {
        put("{\"errorAfterAppend\":1.0,\"down\":true}").expectStatus().isOk()
                .expectBody(FaultSettings.class).isEqualTo(new FaultSettings(0.25, 1.0, 100, 20, true));

        put("{}").expectStatus().isOk()
                .expectBody(FaultSettings.class).isEqualTo(new FaultSettings(0.25, 1.0, 100, 20, true));

        put("{\"delayMs\":0}").expectStatus().isOk()
                .expectBody(FaultSettings.class).isEqualTo(new FaultSettings(0.25, 1.0, 0, 20, true));
        assertThat(current()).isEqualTo(new FaultSettings(0.25, 1.0, 0, 20, true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"errorBeforeAppend\":1.5}",
            "{\"errorBeforeAppend\":-0.1}",
            "{\"errorAfterAppend\":2}",
            "{\"errorAfterAppend\":-1}",
            "{\"delayMs\":60001}",
            "{\"delayMs\":-1}",
            "{\"delayJitterMs\":60001}",
            "{\"delayJitterMs\":-5}",
            "{\"errorAfterAppend\":1.0,\"delayMs\":-1}",
    })
    void anOutOfRangeValueIsAnswered400ProblemJsonAndChangesNothing(String body) {
        put(body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").exists();

        assertThat(current()).isEqualTo(SOME);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"errorRate\":0.5}",
            "{\"down\":\"yes\"}",
            "{\"down\":1}",
            "{\"errorAfterAppend\":\"0.5\"}",
            "{\"errorAfterAppend\":null}",
            "{\"delayMs\":1.5}",
            "{\"delayMs\":\"100\"}",
            "{\"delayMs\":99999999999999999999}",
            "[]",
            "0.5",
            "{\"delayMs\":",
            "not json",
            "{\"down\":true,\"down\":false}",
    })
    void anUnknownFieldAWrongTypeOrAKeyGivenTwiceIsAnswered400ProblemJsonAndChangesNothing(String body) {
        put(body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        assertThat(current()).isEqualTo(SOME);
    }

    @Test
    void aBodyThatIsNotJsonIsAnswered415() {
        client.put().uri("/faults").contentType(MediaType.TEXT_PLAIN).bodyValue("{\"down\":true}").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        assertThat(current()).isEqualTo(SOME);
    }

    @Test
    void resetSwitchesEveryFaultOff() {
        client.post().uri("/faults/reset").exchange()
                .expectStatus().isOk()
                .expectBody(FaultSettings.class).isEqualTo(FaultSettings.NONE);

        assertThat(current()).isEqualTo(FaultSettings.NONE);
    }

    @Test
    void theOpenapiDocumentDescribesTheFaultsEndpoints() {
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/faults'].get").exists()
                .jsonPath("$.paths['/faults'].put.description").value(String.class,
                        description -> assertThat(description).contains("fields left out keep theirs"))
                .jsonPath("$.paths['/faults/reset'].post").exists()
                .jsonPath("$.paths['/replication/append'].post").exists();
    }

    private WebTestClient.ResponseSpec put(String body) {
        return client.put().uri("/faults").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private FaultSettings current() {
        return client.get().uri("/faults").exchange()
                .expectStatus().isOk()
                .expectBody(FaultSettings.class).returnResult().getResponseBody();
    }
}
