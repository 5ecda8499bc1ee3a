package dev.replog.master.recovery;

import static dev.replog.master.RunningMaster.awaitMode;
import static dev.replog.master.RunningMaster.client;
import static dev.replog.master.RunningMaster.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.Entry;
import dev.replog.master.RunningMaster;
import dev.replog.master.replication.InMemorySecondary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Recovery takes the most up-to-date log by Raft's rule, not the longest: the log whose last entry
 * a newer epoch wrote wins over a longer one whose last entry an older epoch wrote. Here the
 * master of epoch 1 left entries 6..7 on s1 that were never acknowledged at a quorum (the master of
 * epoch 2 fenced s1 first and never saw them), and the master of epoch 2 wrote its own entry 6 on
 * s2. A new master takes s2's log; s1's stale suffix is rolled back, and every entry keeps the
 * epoch that wrote it as it is copied from node to node.
 */
class UpToDateLogTest {

    @TempDir
    Path dataDir;

    private final InMemorySecondary s1 = new InMemorySecondary("s1");
    private final InMemorySecondary s2 = new InMemorySecondary("s2");

    @AfterEach
    void close() {
        s1.close();
        s2.close();
    }

    @Test
    void aShorterLogWhoseLastEntryANewerEpochWroteWinsOverALongerOlderOne() {
        List<LogRecord> shared = new ArrayList<>();
        for (long seq = 1; seq <= 5; seq++) {
            shared.add(new LogRecord(seq, seq, 1, "", "shared-" + seq));
        }
        s1.holds(shared);
        s1.holds(List.of(new LogRecord(6, 6, 1, "", "epoch-1-unacknowledged-6"),
                new LogRecord(7, 7, 1, "", "epoch-1-unacknowledged-7")));
        s1.epoch.set(2); // fenced by the master of epoch 2 before those could be acknowledged
        s2.holds(shared);
        s2.holds(List.of(new LogRecord(6, 60, 2, "", "epoch-2-write")));
        s2.epoch.set(2);

        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("epoch").asLong()).isGreaterThan(2);
            web.get().uri("/messages").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.length()").isEqualTo(6)
                    .jsonPath("$[5].id").isEqualTo(60)
                    .jsonPath("$[5].message").isEqualTo("epoch-2-write");

            web.post().uri("/messages?w=3").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"message\":\"after\"}").exchange().expectStatus().isCreated()
                    .expectBody().jsonPath("$.seq").isEqualTo(7);
            long epoch = health(web).path("epoch").asLong();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(s1.entries())
                    .extracting(Entry::message).endsWith("epoch-2-write", "after").hasSize(7));
            assertThat(s1.records()).extracting(LogRecord::epoch)
                    .as("each entry keeps the epoch that wrote it, whichever master shipped it")
                    .containsExactly(1L, 1L, 1L, 1L, 1L, 2L, epoch);
            assertThat(s2.records()).extracting(LogRecord::toEntry).isEqualTo(s1.records().stream()
                    .map(LogRecord::toEntry).toList());
        }
    }

    private ConfigurableApplicationContext start() {
        return RunningMaster.start(dataDir, "--replog.secondaries=" + s1.asSecondary() + "," + s2.asSecondary());
    }
}
