package dev.replog.master.recovery;

import static dev.replog.master.RunningMaster.awaitMode;
import static dev.replog.master.RunningMaster.client;
import static dev.replog.master.RunningMaster.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.Entry;
import dev.replog.master.RunningMaster;
import dev.replog.master.sync.FakeSyncNode;
import dev.replog.master.replication.InMemorySecondary;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A master with state whose restart finds that the sync cluster handed an epoch to someone else
 * since its last (another master started, and may have led) does not trust its log: it waits for
 * every secondary, not a quorum. Here nothing betrays that other master to the heartbeats: the
 * secondary that answers follows this master's old epoch when it is heard, and the epoch of the
 * other master shows only in the sync cluster's sequence (as when two masters recover at the same
 * instant and the other fenced this secondary between its heartbeat and this master's fence).
 * Its own entries that no secondary contradicts stay in its log. A master without state does not
 * take a quorum of empty nodes for a new cluster once the sync cluster has handed out epochs.
 */
@ExtendWith(OutputCaptureExtension.class)
class EpochTakenElsewhereTest {

    @TempDir
    Path dataDir;

    private final FakeSyncNode sync = new FakeSyncNode();
    private final InMemorySecondary first = new InMemorySecondary("s1");
    private final InMemorySecondary second = new InMemorySecondary("s2");

    @AfterEach
    void close() {
        first.close();
        second.close();
        sync.close();
    }

    @Test
    void aRestartAfterAnEpochTakenElsewhereWaitsForEverySecondary(CapturedOutput output) {
        second.up.set(false);
        long firstEpoch;
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            // a new cluster: a quorum with no history is enough
            awaitMode(web, "READ_WRITE");
            firstEpoch = health(web).path("epoch").asLong();
            write(web, "shared", 2);
            // s1 takes no more entries (fences still): a restarted master must not ship "own" to it
            // while it recovers, so that s1's log ends inside the master's
            first.takesEntries.set(false);
            write(web, "own", 1);
        }
        assertThat(first.epoch.get()).isEqualTo(firstEpoch);
        assertThat(first.entries()).extracting(Entry::message).containsExactly("shared");

        sync.takeElsewhere("master-epoch", 1);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "RECOVERING".equals(health(web).path("mode").asString()));
            assertThat(output.getAll()).contains("to someone else: another master has led since");
            assertThat(health(web).path("recovering").asString())
                    .matches("(heard|fenced) 1 of 2 secondaries; need every secondary \\(this master has no state of its own\\)");

            second.up.set(true);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("epoch").asLong()).isEqualTo(firstEpoch + 2);
            assertThat(health(web).has("recovering")).as("said only while RECOVERING").isFalse();
            assertThat(first.entries()).extracting(Entry::message).containsExactly("shared");
            // s1's log, the most advanced, ends inside this master's: its own entry after it stays
            web.get().uri("/messages").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.length()").isEqualTo(2)
                    .jsonPath("$[0].message").isEqualTo("shared")
                    .jsonPath("$[1].message").isEqualTo("own");
        }
    }

    @Test
    void aMasterWithoutStateTakesNoShortcutOnceTheSyncClusterHandedOutEpochs(CapturedOutput output) {
        // a wiped master and a wiped secondary look like a new cluster, but masters took epochs before
        sync.takeElsewhere("master-epoch", 5);
        second.up.set(false);
        first.takesAppends.set(false);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "RECOVERING".equals(health(web).path("mode").asString()));
            assertThat(output.getAll()).contains("Took epoch 6");
        }
        assertThat(first.epoch.get()).as("the fence never reached s1").isZero();
        // Restarted: the epoch it recorded hides the gap (the next one follows it) and s1 still looks
        // new, but a data dir that took an epoch is no new cluster.
        first.takesAppends.set(true);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "RECOVERING".equals(health(web).path("mode").asString()));
            assertThat(health(web).path("recovering").asString())
                    .isEqualTo("heard 1 of 2 secondaries; need every secondary (this master has no state of its own)");

            second.up.set(true);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("epoch").asLong()).isEqualTo(7);
        }
    }

    private ConfigurableApplicationContext start() {
        return RunningMaster.start(dataDir, "--replog.secondaries=" + first.asSecondary() + "," + second.asSecondary(),
                "--replog.sync.nodes=" + sync.url());
    }

    private static void write(WebTestClient web, String message, int w) {
        web.post().uri("/messages?w=" + w).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"message\":\"" + message + "\"}").exchange().expectStatus().isCreated();
    }
}
