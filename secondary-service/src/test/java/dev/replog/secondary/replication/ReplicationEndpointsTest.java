package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static dev.replog.secondary.replication.Batches.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.secondary.SecondaryWebTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The replication contract over HTTP, as the master sees it. Each test starts from an empty log. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"replog.node-name=secondary-under-test", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class ReplicationEndpointsTest extends SecondaryWebTest {

    private static final ParameterizedTypeReference<List<Entry>> ENTRIES = new ParameterizedTypeReference<>() { };

    @LocalServerPort
    private int port;

    @Test
    void inOrderBatchesAreAcknowledgedWithTheWatermark() {
        append(batch(1, 1, 3)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(3, 1));
        append(batch(1, 4, 5)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(5, 1));

        assertThat(messages()).isEqualTo(entries(1, 5));
    }

    @Test
    void aBatchOfSeveralMegabytesIsAccepted() {
        String nearlyOneMiB = "m".repeat(1_000_000);
        List<Entry> big = List.of(new Entry(1, 1, nearlyOneMiB), new Entry(2, 2, nearlyOneMiB),
                new Entry(3, 3, nearlyOneMiB));
        append(new AppendRequest(1, 0, 0, big)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(3, 1));
    }

    @Test
    void entriesAreShownAsSeqIdAndMessage() {
        append(batch(1, 1, 1)).expectStatus().isOk();

        client.get().uri("/messages/1").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"seq\":1,\"id\":10,\"message\":\"message 1\"}", true);
        client.get().uri("/messages?from=1&limit=1").exchange()
                .expectStatus().isOk()
                .expectBody().json("[{\"seq\":1,\"id\":10,\"message\":\"message 1\"}]", true);
    }

    @Test
    void entriesAreReadBackWithTheIdempotencyKeysAndEpochsTheyWereWrittenWith() {
        append(new AppendRequest(1, 0, 0, entries(1, 3), 3L, Map.of(1L, "order-1", 3L, "order-3")))
                .expectStatus().isOk();

        client.get().uri(ReplicationPaths.ENTRIES + "?from=2&limit=2").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"entries\":[{\"seq\":2,\"id\":20,\"message\":\"message 2\"},"
                        + "{\"seq\":3,\"id\":30,\"message\":\"message 3\"}],\"keys\":{\"3\":\"order-3\"},"
                        + "\"epochs\":{\"2\":1,\"3\":1}}", true);
        client.get().uri("/messages?from=1&limit=1").exchange()
                .expectStatus().isOk()
                .expectBody().json("[{\"seq\":1,\"id\":10,\"message\":\"message 1\"}]", true);
        client.get().uri(ReplicationPaths.ENTRIES + "?limit=abc").exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void aDuplicateBatchIsAnswered200WithTheWatermarkAndStoredOnce() {
        append(batch(1, 1, 3)).expectStatus().isOk();
        append(batch(1, 4, 4)).expectStatus().isOk();

        append(batch(1, 1, 3)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(4, 1));

        assertThat(messages()).isEqualTo(entries(1, 4));
    }

    @Test
    void entriesPastAGapAreHiddenUntilTheGapFills() {
        append(batch(1, 1, 2)).expectStatus().isOk();

        append(batch(1, 4, 4)).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Gap")
                .jsonPath("$.reason").isEqualTo("gap")
                .jsonPath("$.ackedSeq").isEqualTo(2)
                .jsonPath("$.epoch").isEqualTo(1);
        assertThat(messages()).isEqualTo(entries(1, 2));
        client.get().uri("/messages/4").exchange().expectStatus().isNotFound();

        append(batch(1, 3, 3)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(4, 1));
        assertThat(messages()).isEqualTo(entries(1, 4));
    }

    @Test
    void aStaleEpochIsRefusedWith409AndChangesNothing() {
        append(batch(2, 1, 2)).expectStatus().isOk();

        append(batch(1, 3, 3)).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Stale epoch")
                .jsonPath("$.ackedSeq").isEqualTo(2)
                .jsonPath("$.epoch").isEqualTo(2);

        assertThat(messages()).isEqualTo(entries(1, 2));
        assertThat(status()).isEqualTo(new ReplicationStatus("secondary-under-test", 2, 20, 2, 2));
    }

    @Test
    void aBatchThatDoesNotFollowTheLogIsRefusedWith409AndAWatermarkBeforeIt() {
        LongUnaryOperator otherIds = seq -> seq * 10 + 1;
        append(batch(1, 1, 3, otherIds)).expectStatus().isOk();

        append(batch(1, 4, 5)).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Log mismatch")
                .jsonPath("$.ackedSeq").isEqualTo(2)
                .jsonPath("$.epoch").isEqualTo(1);

        assertThat(messages()).isEqualTo(entries(1, 3, otherIds));
    }

    @Test
    void entriesANewerMasterDoesNotHaveAreRolledBack() {
        LongUnaryOperator oldMaster = seq -> seq <= 2 ? seq * 10 : seq * 10 + 1;
        append(batch(1, 1, 4, oldMaster)).expectStatus().isOk();

        append(batch(2, 3, 3)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(3, 2));

        assertThat(messages()).isEqualTo(entries(1, 3));
    }

    @Test
    void statusReportsNameWatermarkLastIdEpochAndTheEpochOfTheLastEntry() {
        assertThat(status()).isEqualTo(new ReplicationStatus("secondary-under-test", 0, 0, 0, 0));

        append(batch(3, 1, 2)).expectStatus().isOk();

        client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"name\":\"secondary-under-test\",\"ackedSeq\":2,\"lastId\":20,\"epoch\":3,"
                        + "\"lastEpoch\":3}", true);
    }

    @Test
    void concurrentDeliveriesOverHttpStoreEachEntryExactlyOnce() {
        List<AppendRequest> deliveries = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                deliveries.add(batch(1, i * 4L + 1, i * 4L + 4));
            }
        }
        Collections.shuffle(deliveries, new Random(42));
        WebClient web = WebClient.create("http://localhost:" + port);

        Flux<AppendResponse> sent = Flux.fromIterable(deliveries)
                .flatMap(batch -> web.post().uri(ReplicationPaths.APPEND)
                        .bodyValue(batch)
                        .retrieve()
                        .bodyToMono(AppendResponse.class)
                        // a gap: the batch is kept aside, a later delivery fills the gap
                        .onErrorResume(WebClientResponseException.Conflict.class, conflict -> Mono.empty()), 32);
        StepVerifier.create(sent.then()).expectComplete().verify(Duration.ofSeconds(60));

        assertThat(messages()).isEqualTo(entries(1, 400));
        assertThat(status().ackedSeq()).isEqualTo(400);
    }

    private WebTestClient.ResponseSpec append(AppendRequest request) {
        return client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange();
    }

    private List<Entry> messages() {
        return client.get().uri("/messages").exchange()
                .expectStatus().isOk()
                .expectBody(ENTRIES).returnResult().getResponseBody();
    }

    private ReplicationStatus status() {
        return client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isOk()
                .expectBody(ReplicationStatus.class).returnResult().getResponseBody();
    }
}
