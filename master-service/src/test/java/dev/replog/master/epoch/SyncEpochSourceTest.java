package dev.replog.master.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.master.sync.FakeSyncNode;
import dev.replog.master.sync.SyncClient;
import dev.replog.master.sync.SyncUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

/** Epochs from the sync cluster's sequence, against a real HTTP stand-in of it (and a dead node before it). */
class SyncEpochSourceTest {

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

    @Test
    void epochsIncreaseAndJumpAboveAnEpochSeenOnASecondary() {
        SyncEpochSource epochs = new SyncEpochSource(client);
        StepVerifier.create(epochs.takeNewEpoch(0, 0)).expectNext(new EpochSource.NewEpoch(1, false)).verifyComplete();
        StepVerifier.create(epochs.takeNewEpoch(0, 1)).expectNext(new EpochSource.NewEpoch(2, false)).verifyComplete();
        StepVerifier.create(epochs.takeNewEpoch(40, 2)).assertNext(epoch -> {
            assertThat(epoch.epoch()).isGreaterThan(40);
            assertThat(epoch.othersTookSome()).as("a jump is this master's own").isFalse();
        }).verifyComplete();
        long next = sync.next(SyncEpochSource.SEQUENCE);
        StepVerifier.create(epochs.takeNewEpoch(0, next - 1)).expectNext(new EpochSource.NewEpoch(next, false))
                .verifyComplete();
    }

    @Test
    void anEpochTakenBySomeoneElseSinceThisMastersLastShows() {
        SyncEpochSource epochs = new SyncEpochSource(client);
        long mine = epochs.takeNewEpoch(0, 0).block().epoch();
        long othersEpoch = epochs.takeNewEpoch(0, 0).block().epoch(); // another master, same sequence
        StepVerifier.create(epochs.takeNewEpoch(0, mine)).expectNext(new EpochSource.NewEpoch(othersEpoch + 1, true))
                .verifyComplete();
        // the gap shows through a jump too
        StepVerifier.create(epochs.takeNewEpoch(50, mine)).assertNext(epoch -> {
            assertThat(epoch.epoch()).isGreaterThan(50);
            assertThat(epoch.othersTookSome()).isTrue();
        }).verifyComplete();
        // a sequence behind this data dir's epochs (they came from a local counter) is no evidence
        long behind = sync.next(SyncEpochSource.SEQUENCE);
        StepVerifier.create(epochs.takeNewEpoch(behind + 10, behind + 10)).assertNext(epoch -> {
            assertThat(epoch.epoch()).isGreaterThan(behind + 10);
            assertThat(epoch.othersTookSome()).isFalse();
        }).verifyComplete();
    }

    @Test
    void epochFailsWhileTheSyncClusterIsDown() {
        sync.down(true);
        StepVerifier.create(new SyncEpochSource(client).takeNewEpoch(0, 0)).expectError(SyncUnavailableException.class)
                .verify(Duration.ofSeconds(10));
    }
}
