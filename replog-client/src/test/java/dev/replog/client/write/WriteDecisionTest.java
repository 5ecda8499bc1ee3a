package dev.replog.client.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.client.error.BadInputException;
import dev.replog.client.error.IdempotencyConflictException;
import dev.replog.client.error.NoMasterException;
import dev.replog.client.error.ReadOnlyException;
import dev.replog.client.error.SupersededException;
import dev.replog.client.error.UnavailableException;
import dev.replog.client.error.WriteTimeoutException;
import dev.replog.client.http.Answer;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteDecisionTest {

    private static final URI NODE = URI.create("http://127.0.0.1:8081");

    @ParameterizedTest
    @ValueSource(ints = {200, 201})
    void aCreatedOrReplayedAnswerIsDone(int status) {
        assertThat(decide(answer(status, "{\"seq\":1,\"id\":1,\"w\":1,\"acks\":1}"), false))
                .isInstanceOf(Step.Done.class);
    }

    @Test
    void aRedirectGoesToTheNodeItsLocationNamesWithoutTheRequestPath() {
        Step step = decide(answer(307, "", "location", "http://127.0.0.1:8083/messages/batch"), false);

        assertThat(step).isEqualTo(new Step.Redirect(URI.create("http://127.0.0.1:8083")));
    }

    @Test
    void aRedirectToTheMastersBaseUrlIsFollowedAsItIs() {
        Step step = decide(answer(307, "", "location", "http://127.0.0.1:8083/"), false);

        assertThat(step).isEqualTo(new Step.Redirect(URI.create("http://127.0.0.1:8083")));
    }

    @Test
    void noMasterWaitsForRetryAfterThenAsksTheNextNode() {
        Step step = decide(answer(503, problem("No master", ""), "retry-after", "3"), false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isTrue();
            assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(3));
            assertThat(retry.failure()).isInstanceOf(NoMasterException.class);
            assertThat(retry.failure().indefinite()).isFalse();
        });
    }

    @Test
    void retryAfterIsBoundedAndDefaultsToOneSecond() {
        assertThat(WriteDecision.retryAfter(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WriteDecision.retryAfter("soon")).isEqualTo(Duration.ofSeconds(1));
        assertThat(WriteDecision.retryAfter("0")).isEqualTo(Duration.ZERO);
        assertThat(WriteDecision.retryAfter("86400")).isEqualTo(WriteDecision.MAX_RETRY_AFTER);
    }

    @Test
    void aWriteSupersededWhileItWaitedIsIndefiniteAndTriedOnTheNextNode() {
        Step step = decide(answer(503, problem("Superseded", ",\"seq\":7,\"acks\":1,\"w\":2")), false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isTrue();
            assertThat(retry.failure()).isInstanceOfSatisfying(SupersededException.class, superseded -> {
                assertThat(superseded.seq()).isEqualTo(7);
                assertThat(superseded.acks()).isEqualTo(1);
                assertThat(superseded.indefinite()).isTrue();
            });
        });
    }

    @Test
    void aSupersededMasterThatAppendedNothingIsDefinite() {
        Step step = decide(answer(503, problem("Superseded", ",\"mode\":\"READ_ONLY\"")), false);

        assertThat(((Step.Retry) step).failure().indefinite()).isFalse();
    }

    @Test
    void readOnlyIsRetriedOnTheSameMasterAndCarriesTheQuorum() {
        Step step = decide(answer(503, problem("Read-only", ",\"mode\":\"READ_ONLY\",\"nodesUp\":1,\"quorum\":2")),
                false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isFalse();
            assertThat(retry.delay()).as("the writer's backoff").isNull();
            assertThat(retry.failure()).isInstanceOfSatisfying(ReadOnlyException.class, readOnly -> {
                assertThat(readOnly.mode()).isEqualTo("READ_ONLY");
                assertThat(readOnly.nodesUp()).isEqualTo(1);
                assertThat(readOnly.quorum()).isEqualTo(2);
            });
        });
    }

    @Test
    void aDefiniteFailureAfterAnIndefiniteAttemptIsIndefinite() {
        Step step = decide(answer(503, problem("Read-only", "")), true);

        assertThat(((Step.Retry) step).failure().indefinite()).isTrue();
    }

    @Test
    void aWriteConcernTimeoutCarriesSeqAndAcksAndIsAskedAgainWithTheSameKey() {
        Step step = decide(answer(504, problem("Write concern timeout", ",\"seq\":12,\"acks\":1,\"w\":3")), false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isFalse();
            assertThat(retry.failure()).isInstanceOfSatisfying(WriteTimeoutException.class, timeout -> {
                assertThat(timeout.seq()).isEqualTo(12);
                assertThat(timeout.acks()).isEqualTo(1);
                assertThat(timeout.w()).isEqualTo(3);
                assertThat(timeout.indefinite()).isTrue();
            });
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 413, 415})
    void badInputIsFinal(int status) {
        Step step = decide(answer(status, problem("Bad request", "")), false);

        assertThat(step).isInstanceOfSatisfying(Step.Fail.class,
                fail -> assertThat(fail.failure()).isInstanceOf(BadInputException.class)
                        .satisfies(failure -> assertThat(failure.status()).isEqualTo(status)));
    }

    @Test
    void aKeyReusedWithAnotherMessageIsFinal() {
        Step step = decide(answer(422, problem("Idempotency key reused", "")), false);

        assertThat(step).isInstanceOfSatisfying(Step.Fail.class,
                fail -> assertThat(fail.failure()).isInstanceOf(IdempotencyConflictException.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 405})
    void aNodeThatTakesNoWritesSendsTheWriteToTheNextNode(int status) {
        Step step = decide(answer(status, ""), false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isTrue();
            assertThat(retry.failure().indefinite()).isFalse();
        });
    }

    @Test
    void aRefusedConnectionMovesOnAndNothingWasSent() {
        Step step = WriteDecision.decide(Outcome.failed(new IllegalStateException("connect failed",
                new ConnectException("Connection refused"))), NODE, "/messages", false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isTrue();
            assertThat(retry.failure()).isInstanceOf(UnavailableException.class);
            assertThat(retry.failure().indefinite()).isFalse();
        });
    }

    @Test
    void noAnswerAfterSendingMovesOnAndMayHaveAppended() {
        Step step = WriteDecision.decide(Outcome.failed(new TimeoutException("no answer")), NODE, "/messages", false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isTrue();
            assertThat(retry.failure().indefinite()).isTrue();
        });
    }

    @Test
    void anUnknownServerErrorMovesOnAndMayHaveAppended() {
        Step step = decide(answer(500, problem("Internal error", "")), false);

        assertThat(step).isInstanceOfSatisfying(Step.Retry.class, retry -> {
            assertThat(retry.nextNode()).isTrue();
            assertThat(retry.failure().indefinite()).isTrue();
        });
    }

    @Test
    void aFullDiskIsFinal() {
        Step step = decide(answer(507, problem("Out of disk space", ",\"appended\":false")), false);

        assertThat(step).isInstanceOf(Step.Fail.class);
    }

    private static Step decide(Answer answer, boolean maybeAppended) {
        return WriteDecision.decide(Outcome.answered(answer), NODE, "/messages/batch", maybeAppended);
    }

    private static String problem(String title, String members) {
        return "{\"type\":\"https://replog.dev/problems/x\",\"title\":\"" + title + "\",\"status\":0,\"detail\":\"why\""
                + members + "}";
    }

    private static Answer answer(int status, String body, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return new Answer(status, map, body.getBytes(StandardCharsets.UTF_8));
    }
}
