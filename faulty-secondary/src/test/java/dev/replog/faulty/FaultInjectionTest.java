package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.secondary.SecondaryWebTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The faults as the master meets them. The tests share one log: each appends after whatever the
 * log holds when it starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.reactor.netty.shutdown-quiet-period=0s")
@AutoConfigureWebTestClient
class FaultInjectionTest extends SecondaryWebTest {

    private static final ParameterizedTypeReference<List<Entry>> ENTRIES = new ParameterizedTypeReference<>() { };

    @Autowired
    private MeterRegistry registry;

    @BeforeEach
    void everyFaultIsOff() {
        client.post().uri("/faults/reset").exchange().expectStatus().isOk();
    }

    @Test
    void downAnswers503ToAppendsAndHeartbeatsAndStoresNothing() {
        long acked = status().ackedSeq();
        double before = injected("down");
        setFaults("{\"down\":true}");

        append(nextBatch(acked, 2)).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Down").jsonPath("$.fault").isEqualTo("down");
        client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(injected("down")).isEqualTo(before + 2);

        setFaults("{\"down\":false}");
        assertThat(status().ackedSeq()).isEqualTo(acked);
        append(nextBatch(acked, 2)).expectStatus().isOk();
    }

    @Test
    void publicReadsActuatorAndFaultsAreNotAffectedByDown() {
        setFaults("{\"down\":true,\"errorBeforeAppend\":1.0,\"delayMs\":0}");

        client.get().uri("/messages").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        client.get().uri("/faults").exchange().expectStatus().isOk();
    }

    @Test
    void errorAfterAppendStoresTheBatchAnswers500AndTheRetryIsDeduplicated() {
        long acked = status().ackedSeq();
        AppendRequest batch = nextBatch(acked, 3);
        double before = injected("error-after-append");
        setFaults("{\"errorAfterAppend\":1.0}");

        append(batch).expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.fault").isEqualTo("error-after-append");

        assertThat(messagesFrom(acked + 1)).isEqualTo(batch.entries());
        assertThat(injected("error-after-append")).isEqualTo(before + 1);

        setFaults("{\"errorAfterAppend\":0.0}");
        append(batch).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(acked + 3, 1));
        assertThat(messagesFrom(acked + 1)).isEqualTo(batch.entries());
    }

    @Test
    void errorBeforeAppendAnswers500AndStoresNothing() {
        long acked = status().ackedSeq();
        AppendRequest batch = nextBatch(acked, 2);
        setFaults("{\"errorBeforeAppend\":1.0}");

        append(batch).expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.fault").isEqualTo("error-before-append");

        assertThat(status().ackedSeq()).isEqualTo(acked);
        assertThat(messagesFrom(acked + 1)).isEmpty();
        // heartbeats are not appends: never failed by the error probabilities
        client.get().uri(ReplicationPaths.STATUS).exchange().expectStatus().isOk();
    }

    @Test
    void aDelayHoldsReplicationAnswersBackAndLeavesOtherRequestsAlone() {
        long acked = status().ackedSeq();
        setFaults("{\"delayMs\":300}");
        double before = injected("delay");

        long started = System.nanoTime();
        append(nextBatch(acked, 1)).expectStatus().isOk();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(injected("delay")).isEqualTo(before + 1);

        client.get().uri("/messages").exchange().expectStatus().isOk();
        client.get().uri("/faults").exchange().expectStatus().isOk();
        assertThat(injected("delay")).isEqualTo(before + 1);
    }

    @Test
    void withEveryFaultOffAppendsTakeTheDirectPathAndWithOneOnTheyMeetTheFaultFilter() {
        long acked = status().ackedSeq();
        double direct = directAppends();
        append(nextBatch(acked, 1)).expectStatus().isOk();
        // the timer is recorded once the answer is written, which may be after the client read it
        await().atMost(Duration.ofSeconds(10)).until(() -> directAppends() == direct + 1);

        setFaults("{\"delayMs\":1}");
        double delays = injected("delay");
        append(nextBatch(acked + 1, 1)).expectStatus().isOk();
        assertThat(injected("delay")).isEqualTo(delays + 1);
        assertThat(directAppends()).isEqualTo(direct + 1);
    }

    /** Appends served by the secondary's direct path (which bypasses the fault filter). */
    private double directAppends() {
        Timer timer = registry.find("replog.replication.requests").tag("status", "200").timer();
        return timer == null ? 0 : timer.count();
    }

    private static AppendRequest nextBatch(long acked, int size) {
        List<Entry> entries = new ArrayList<>();
        for (long seq = acked + 1; seq <= acked + size; seq++) {
            entries.add(new Entry(seq, seq * 10, "message " + seq));
        }
        return new AppendRequest(1, acked, acked * 10, entries);
    }

    private void setFaults(String json) {
        client.put().uri("/faults").contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                .expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec append(AppendRequest request) {
        return client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange();
    }

    private ReplicationStatus status() {
        return client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isOk()
                .expectBody(ReplicationStatus.class).returnResult().getResponseBody();
    }

    private List<Entry> messagesFrom(long from) {
        return client.get().uri("/messages?from=" + from).exchange()
                .expectStatus().isOk()
                .expectBody(ENTRIES).returnResult().getResponseBody();
    }

    private double injected(String kind) {
        return registry.get("replog.faults.injected").tag("kind", kind).counter().count();
    }
}
