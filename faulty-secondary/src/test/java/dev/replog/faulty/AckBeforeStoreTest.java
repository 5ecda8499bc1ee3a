package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.secondary.SecondaryWebTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The test-only {@code replog.testing.ack-before-store}: every append is acknowledged with its last
 * seq and nothing is stored; no append skips it, malformed ones are still refused, and faults still
 * apply around it.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "replog.testing.ack-before-store=true", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class AckBeforeStoreTest extends SecondaryWebTest {

    private static final ParameterizedTypeReference<List<Entry>> ENTRIES = new ParameterizedTypeReference<>() { };

    @Autowired
    private MeterRegistry registry;

    @AfterEach
    void everyFaultIsOff() {
        client.post().uri("/faults/reset").exchange().expectStatus().isOk();
    }

    @Test
    void appendsAreAcknowledgedWithTheirLastSeqAndNothingIsStored() {
        double direct = directAppends();

        append(batch(2, 0, 3)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(3, 2));
        append(batch(1, 3, 2)).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(5, 1));

        ReplicationStatus status = client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isOk()
                .expectBody(ReplicationStatus.class).returnResult().getResponseBody();
        assertThat(status.ackedSeq()).as("the watermark it really holds").isZero();
        assertThat(status.epoch()).as("no batch was applied, so no epoch was adopted").isZero();
        assertThat(client.get().uri("/messages").exchange().expectStatus().isOk()
                .expectBody(ENTRIES).returnResult().getResponseBody()).isEmpty();
        assertThat(directAppends()).as("appends served by the direct path, which would store them")
                .isEqualTo(direct);
    }

    @Test
    void theAnswerCarriesTheNodesEpochWhenItIsHigherThanTheBatchs() {
        AckBeforeStore switchedOn = new AckBeforeStore(new TestingProperties(true), () -> 7, null, null, null);

        assertThat(switchedOn.ackWithoutStoring(batch(3, 10, 2))).isEqualTo(new AppendResponse(12, 7));
        assertThat(switchedOn.ackWithoutStoring(batch(9, 10, 0))).isEqualTo(new AppendResponse(10, 9));
        assertThat(switchedOn.open()).as("no append may skip it").isFalse();
        assertThat(new AckBeforeStore(new TestingProperties(false), () -> 7, null, null, null).open()).isTrue();
    }

    @Test
    void aMalformedBatchIsStillRefused400ProblemJson() {
        client.post().uri(ReplicationPaths.APPEND).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"epoch\":0,\"prevSeq\":0,\"prevId\":0,\"entries\":[]}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void faultsStillApplyAroundIt() {
        client.put().uri("/faults").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"errorBeforeAppend\":1.0}")
                .exchange().expectStatus().isOk();

        append(batch(1, 0, 1)).expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectBody().jsonPath("$.fault").isEqualTo("error-before-append");
    }

    @Test
    void theNodeWarnsAtStartThatItLosesAcknowledgedWrites(CapturedOutput output) {
        assertThat(output.getAll()).contains("WARN")
                .contains("replog.testing.ack-before-store=true: this node acknowledges batches WITHOUT storing them");
    }

    private static AppendRequest batch(long epoch, long prevSeq, int size) {
        List<Entry> entries = new ArrayList<>();
        for (long seq = prevSeq + 1; seq <= prevSeq + size; seq++) {
            entries.add(new Entry(seq, seq * 10, "message " + seq));
        }
        return new AppendRequest(epoch, prevSeq, prevSeq * 10, entries);
    }

    private WebTestClient.ResponseSpec append(AppendRequest request) {
        return client.post().uri(ReplicationPaths.APPEND).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request).exchange();
    }

    /** Appends served by the secondary's direct path (which stores them). */
    private double directAppends() {
        Timer timer = registry.find("replog.replication.requests").timer();
        return timer == null ? 0 : timer.count();
    }
}
