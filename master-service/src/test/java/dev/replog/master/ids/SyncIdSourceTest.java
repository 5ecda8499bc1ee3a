package dev.replog.master.ids;

import dev.replog.master.sync.FakeSyncNode;

import dev.replog.master.sync.SyncClient;
import dev.replog.master.sync.SyncUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/**
 * SyncIdSource against a real HTTP stand-in of the sync cluster (and a second,
 * dead node: every call must survive it).
 */
class SyncIdSourceTest {

    private static final String DEAD_NODE = "http://127.0.0.1:9";

    private FakeSyncNode sync;
    private SyncClient client;

    @BeforeEach
    void start() {
        sync = new FakeSyncNode();
        client = new SyncClient(List.of(DEAD_NODE, sync.url()), WebClient.builder(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        sync.close();
    }

    /** A source whose ranges keep their configured size, however fast they are used. */
    private SyncIdSource source(int rangeSize) {
        return source(rangeSize, Duration.ZERO);
    }

    private SyncIdSource source(int rangeSize, Duration rangeLife) {
        return new SyncIdSource(client, rangeSize, rangeLife, Duration.ofMillis(500), Duration.ofMillis(20),
                Duration.ofMillis(100));
    }

    @Test
    void rangesUsedUpFasterThanTheirLifeMakeEachNextRequestTwiceAsLarge() {
        try (SyncIdSource ids = source(10, Duration.ofHours(1))) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            // half of 11..20 used: ask for 20; half of 21..40: ask for 40; half of 41..80: ask for 80
            take(ids, 60);
            await().atMost(Duration.ofSeconds(5)).until(() -> sync.rangeRequests() == 5);
            assertThat(sync.requestedSizes()).containsExactly(10L, 10L, 20L, 40L, 80L);
        }
    }

    @Test
    void aGrownRangeThatLastsTenTimesItsLifeHalvesTheNextRequest() {
        AtomicLong nanos = new AtomicLong();
        try (SyncIdSource ids = new SyncIdSource(client, 10, Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofMillis(20), Duration.ofMillis(100), nanos::get)) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            take(ids, 15); // 11..15 of 11..20 at once: the next request is for 20
            take(ids, 6); // to id 21: 21..40 in use
            nanos.addAndGet(Duration.ofSeconds(6).toNanos()); // half of it lasts 6 s: about 12 s in all
            take(ids, 9); // id 30: half of 21..40

            await().atMost(Duration.ofSeconds(5)).until(() -> sync.rangeRequests() == 4);
            assertThat(sync.requestedSizes()).containsExactly(10L, 10L, 20L, 10L);
        }
    }

    /** Takes {@code count} ids, waiting for a prefetched range whenever none is in hand. */
    private static void take(SyncIdSource ids, int count) {
        for (int i = 0; i < count; i++) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ids.remaining() > 0);
            ids.next();
        }
    }

    @Test
    void aSlowConsumerKeepsTheConfiguredSize() {
        try (SyncIdSource ids = source(10, Duration.ZERO)) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            take(ids, 25);
            await().atMost(Duration.ofSeconds(5)).until(() -> sync.rangeRequests() >= 3);
            assertThat(sync.requestedSizes()).containsOnly(10L);
        }
    }

    @Test
    void prepareFetchesTwoRangesAndNextHandsOutIncreasingIdsAcrossRanges() {
        try (SyncIdSource ids = source(10)) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            assertThat(sync.rangeRequests()).isEqualTo(2);
            assertThat(ids.remaining()).isEqualTo(20);
            long previous = 0;
            for (int i = 0; i < 20; i++) {
                long id = ids.next();
                assertThat(id).isGreaterThan(previous);
                previous = id;
            }
            assertThat(previous).isEqualTo(20);
            // The second range was half used at id 15: the third was prefetched without anyone waiting.
            await().atMost(Duration.ofSeconds(5)).until(() -> ids.remaining() == 10);
            assertThat(ids.next()).isEqualTo(21);
        }
    }

    @Test
    void thePrefetchStartsOnceHalfOfTheCurrentRangeIsUsed() {
        try (SyncIdSource ids = source(10)) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            for (int i = 0; i < 10; i++) {
                ids.next(); // the first range; the second is in hand, nothing to fetch
            }
            assertThat(sync.rangeRequests()).isEqualTo(2);
            for (int i = 0; i < 4; i++) {
                ids.next(); // 11..14 of 11..20: less than half used
            }
            assertThat(sync.rangeRequests()).isEqualTo(2);
            ids.next(); // 15: half
            await().atMost(Duration.ofSeconds(5)).until(() -> sync.rangeRequests() == 3);
        }
    }

    @Test
    void withTheSyncClusterDownWritesUseThePrefetchedIdsThenWaitBoundedAndResumeWhenItIsBack() {
        try (SyncIdSource ids = source(10)) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            sync.down(true);
            for (long expected = 1; expected <= 20; expected++) {
                assertThat(ids.next()).isEqualTo(expected);
            }
            assertThatThrownBy(ids::next).isInstanceOf(IdsUnavailableException.class)
                    .satisfies(e -> assertThat(((IdsUnavailableException) e).retryable()).isTrue());
            StepVerifier.create(ids.awaitAvailable())
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IdsUnavailableException.class)
                            .hasMessageContaining("no permanent ids: the sync cluster is unreachable"))
                    .verify(Duration.ofSeconds(5));
            assertThat(ids.remaining()).isZero();

            sync.down(false);
            StepVerifier.create(ids.awaitAvailable()).expectComplete().verify(Duration.ofSeconds(5));
            assertThat(ids.next()).isEqualTo(21);
        }
    }

    @Test
    void awaitAvailableCompletesAtOnceWhileIdsAreInHand() {
        try (SyncIdSource ids = source(10)) {
            StepVerifier.create(ids.prepare()).verifyComplete();
            StepVerifier.create(ids.awaitAvailable()).expectComplete().verify(Duration.ofMillis(200));
        }
    }

    @Test
    void prepareFailsWhileNoSyncNodeAnswersSoRecoveryTriesAgain() {
        sync.down(true);
        try (SyncIdSource ids = source(10)) {
            StepVerifier.create(ids.prepare()).expectError(SyncUnavailableException.class).verify(Duration.ofSeconds(10));
            sync.down(false);
            StepVerifier.create(ids.prepare()).verifyComplete();
            assertThat(ids.next()).isEqualTo(1);
        }
    }

    @Test
    void idsStayAboveIdsFoundInARecoveredLogEvenWhenTheSequenceIsBehind() {
        try (SyncIdSource ids = source(10)) {
            ids.advancePast(35); // e.g. ids a master handed out from its local counter before
            StepVerifier.create(ids.prepare()).verifyComplete();
            assertThat(ids.next()).isGreaterThan(35);
            ids.advancePast(1000);
            StepVerifier.create(ids.awaitAvailable()).expectComplete().verify(Duration.ofSeconds(5));
            assertThat(ids.next()).isGreaterThan(1000);
        }
    }

    @Test
    void aRestartedSourceContinuesAboveEveryEarlierRange() {
        long last;
        try (SyncIdSource first = source(10)) {
            StepVerifier.create(first.prepare()).verifyComplete();
            last = first.next();
        }
        try (SyncIdSource second = source(10)) {
            StepVerifier.create(second.prepare()).verifyComplete();
            assertThat(second.next()).isGreaterThan(last).isEqualTo(21); // 2..20 became a gap
        }
    }

}
