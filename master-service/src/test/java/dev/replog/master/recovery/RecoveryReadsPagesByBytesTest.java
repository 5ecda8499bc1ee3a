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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A master without state recovers the secondaries' whole log when their reads answer pages that end
 * at a byte budget, long before {@code limit}: each page is read from the seq after the last one
 * the page before held. The schedule that broke it: pages asked for at {@code page * limit}, so the
 * second read began past the end of the log, the master adopted the first page alone, and its
 * replication rolled every later entry back on the secondaries, acknowledged ones too. And a
 * secondary whose read ends before the end its status reported is not taken for the whole log: the
 * master stays RECOVERING until it can read all of it.
 */
class RecoveryReadsPagesByBytesTest {

    /** 40 entries of 100 KiB: pages of at most five under the 512 KiB a master asks for. */
    private static final int ENTRIES = 40;
    private static final int MESSAGE_CHARS = 100 << 10;

    @TempDir
    Path dataDir;

    private final InMemorySecondary s1 = new InMemorySecondary("s1");
    private final InMemorySecondary s2 = new InMemorySecondary("s2");
    private final List<LogRecord> log = new ArrayList<>();

    @BeforeEach
    void secondariesHoldTheLog() {
        for (long seq = 1; seq <= ENTRIES; seq++) {
            log.add(new LogRecord(seq, seq, 1, "key-" + seq, seq + "-" + "x".repeat(MESSAGE_CHARS)));
        }
        for (InMemorySecondary secondary : List.of(s1, s2)) {
            secondary.holds(log);
            secondary.epoch.set(1);
        }
    }

    @AfterEach
    void close() {
        s1.close();
        s2.close();
    }

    @Test
    void aMasterWithoutStateReadsEveryPageOfTheLogItAdopts() {
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            awaitMode(web, "READ_WRITE");

            assertThat(health(web).path("lastSeq").asLong()).isEqualTo(ENTRIES);
            assertHeldEverywhere();
        }
    }

    @Test
    void aReadThatEndsBeforeTheReportedEndKeepsTheMasterRecoveringUntilItCanReadAll() {
        s1.readableUpTo.set(12);
        s2.readableUpTo.set(12);
        try (ConfigurableApplicationContext master = start()) {
            WebTestClient web = client(master);
            await("RECOVERING while the reads end at seq 12").during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5)).until(() -> "RECOVERING".equals(health(web).path("mode").asText()));
            assertThat(s1.entries()).as("nothing rolled back meanwhile").hasSize(ENTRIES);

            s1.readableUpTo.set(Long.MAX_VALUE);
            s2.readableUpTo.set(Long.MAX_VALUE);
            awaitMode(web, "READ_WRITE");
            assertThat(health(web).path("lastSeq").asLong()).isEqualTo(ENTRIES);
            assertHeldEverywhere();
        }
    }

    private void assertHeldEverywhere() {
        List<Entry> entries = log.stream().map(LogRecord::toEntry).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> s1.entries().equals(entries) && s2.entries().equals(entries));
    }

    private ConfigurableApplicationContext start() {
        return RunningMaster.start(dataDir, "--replog.secondaries=" + s1.asSecondary() + "," + s2.asSecondary());
    }
}
