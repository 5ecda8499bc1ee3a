package dev.replog.client.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.client.ReplogClient;
import dev.replog.client.error.BadInputException;
import dev.replog.client.error.NoMasterException;
import dev.replog.client.error.UnavailableException;
import dev.replog.client.error.WriteTimeoutException;
import dev.replog.client.testing.FakeNode;
import dev.replog.client.testing.FakeNode.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The write path against nodes played by tiny servers: redirects, Retry-After, dead nodes, timeouts. */
class MasterWriterProtocolTest {

    private static final String CREATED = "{\"seq\":7,\"id\":70,\"w\":2,\"acks\":2}";

    @Test
    void aChainOfRedirectsIsFollowedAndItsEndRememberedAsTheMaster() {
        try (FakeNode master = new FakeNode(request -> Reply.json(201, CREATED));
             FakeNode standby = new FakeNode(request -> Reply.of(307, "", "Location", master.url() + "/messages"));
             FakeNode secondary = new FakeNode(request -> Reply.of(307, "", "Location", standby.url().toString()));
             ReplogClient client = client(secondary.url().toString(), master.url().toString())) {

            AppendResult result = client.appendAndWait("hello", WriteConcern.MAJORITY);

            assertThat(result).isEqualTo(new AppendResult(7, 70, 2, 2));
            assertThat(client.lastKnownMaster()).isEqualTo(master.url());
            client.appendAndWait("again", WriteConcern.MAJORITY);
            assertThat(secondary.requests()).as("the second write goes straight to the master").hasSize(1);
            assertThat(master.requests()).hasSize(2);
            assertThat(master.requests().get(0).body()).contains("\"message\":\"hello\"", "\"w\":\"majority\"");
        }
    }

    @Test
    void noMasterIsWaitedOutForItsRetryAfterWithTheSameIdempotencyKey() {
        AtomicInteger calls = new AtomicInteger();
        try (FakeNode node = new FakeNode(request -> calls.incrementAndGet() == 1
                ? Reply.of(503, "{\"title\":\"No master\",\"status\":503,\"detail\":\"takeover\"}",
                        "Content-Type", "application/problem+json", "Retry-After", "1")
                : Reply.json(201, CREATED));
             ReplogClient client = client(node.url().toString())) {

            long start = System.nanoTime();
            client.appendAndWait("hello", WriteConcern.of(2));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            List<FakeNode.Request> requests = node.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(0).header("Idempotency-Key")).isNotBlank()
                    .isEqualTo(requests.get(1).header("Idempotency-Key"));
        }
    }

    @Test
    void noMasterUntilTheDeadlineEndsInNoMasterException() {
        try (FakeNode node = new FakeNode(request -> Reply.of(503,
                "{\"title\":\"No master\",\"status\":503,\"detail\":\"takeover\"}", "Retry-After", "0"));
             ReplogClient client = client(node.url().toString())) {

            assertThatThrownBy(() -> client.appendAndWait("hello", WriteConcern.ONE, Duration.ofMillis(500)))
                    .isInstanceOf(NoMasterException.class);
            assertThat(node.requests().size()).isGreaterThan(1);
        }
    }

    @Test
    void aDeadNodeIsSkippedForTheNextOne() {
        try (FakeNode master = new FakeNode(request -> Reply.json(201, CREATED));
             ReplogClient client = client(FakeNode.deadUrl(), master.url().toString())) {

            assertThat(client.appendAndWait("hello", WriteConcern.ONE).seq()).isEqualTo(7);
            assertThat(client.lastKnownMaster()).isEqualTo(master.url());
        }
    }

    @Test
    void aDroppedConnectionIsRetriedWithTheSameKeyAndTheReplayAnswers() {
        AtomicInteger calls = new AtomicInteger();
        try (FakeNode master = new FakeNode(request -> calls.incrementAndGet() == 1 ? FakeNode.DROP
                : Reply.json(200, CREATED));
             ReplogClient client = client(master.url().toString())) {

            assertThat(client.append("hello", WriteConcern.ONE, Duration.ofSeconds(10), "order-42").join().id())
                    .isEqualTo(70);
            assertThat(master.requests()).extracting(request -> request.header("Idempotency-Key"))
                    .containsExactly("order-42", "order-42");
        }
    }

    @Test
    void aWriteConcernTimeoutPastTheCallersTimeoutCarriesSeqAndAcks() {
        try (FakeNode master = new FakeNode(request -> Reply.json(504,
                "{\"title\":\"Write concern timeout\",\"status\":504,\"detail\":\"late\",\"seq\":12,\"acks\":1,\"w\":3}"));
             ReplogClient client = client(master.url().toString())) {

            assertThatThrownBy(() -> client.appendAndWait("hello", WriteConcern.ALL, Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(WriteTimeoutException.class, timeout -> {
                        assertThat(timeout.seq()).isEqualTo(12);
                        assertThat(timeout.acks()).isEqualTo(1);
                        assertThat(timeout.indefinite()).isTrue();
                    });
            assertThat(master.requests().get(0).body()).matches(".*\"timeoutMs\":(\\d{2,3})[,}].*");
        }
    }

    @Test
    void badInputIsNotRetried() {
        try (FakeNode master = new FakeNode(request -> Reply.json(413,
                "{\"title\":\"Payload too large\",\"status\":413,\"detail\":\"too big\"}"));
             ReplogClient client = client(master.url().toString())) {

            assertThatThrownBy(() -> client.appendAndWait("hello", WriteConcern.ONE))
                    .isInstanceOfSatisfying(BadInputException.class, bad -> assertThat(bad.status()).isEqualTo(413));
            assertThat(master.requests()).hasSize(1);
        }
    }

    @Test
    void noNodeAnsweringEndsInAnUnavailableExceptionAtTheDeadline() {
        try (ReplogClient client = client(FakeNode.deadUrl(), FakeNode.deadUrl())) {
            assertThatThrownBy(() -> client.appendAndWait("hello", WriteConcern.ONE, Duration.ofMillis(400)))
                    .isInstanceOfSatisfying(UnavailableException.class,
                            unavailable -> assertThat(unavailable.indefinite()).as("nothing was ever sent").isFalse());
        }
    }

    @Test
    void theActiveMasterNamedByHealthBecomesTheFirstToWriteTo() {
        try (FakeNode master = new FakeNode(request -> request.uri().equals("/health")
                ? Reply.json(200, "{\"mode\":\"READ_WRITE\",\"epoch\":4}") : Reply.json(201, CREATED));
             FakeNode secondary = new FakeNode(request -> Reply.json(200,
                     "{\"activeMaster\":{\"url\":\"" + master.url() + "\",\"epoch\":4}}"));
             ReplogClient client = client(secondary.url().toString())) {

            ActiveMaster found = client.activeMaster().join();

            assertThat(found).isEqualTo(new ActiveMaster(master.url(), 4, "READ_WRITE"));
            assertThat(client.lastKnownMaster()).isEqualTo(master.url());
        }
    }

    @Test
    void aStandbyThatKnowsNoActiveMasterIsNotTakenForOne() {
        try (FakeNode standby = new FakeNode(request -> Reply.json(200,
                "{\"mode\":\"STANDBY\",\"role\":\"STANDBY\",\"epoch\":0}"));
             FakeNode master = new FakeNode(request -> Reply.json(200,
                     "{\"mode\":\"READ_ONLY\",\"role\":\"ACTIVE\",\"epoch\":5}"));
             ReplogClient client = client(standby.url().toString(), master.url().toString())) {

            assertThat(client.activeMaster().join()).isEqualTo(new ActiveMaster(master.url(), 5, "READ_ONLY"));
        }
    }

    private static ReplogClient client(String... nodes) {
        return ReplogClient.builder().nodes(List.of(nodes)).connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(5)).deliveryTimeout(Duration.ofSeconds(10)).build();
    }
}
