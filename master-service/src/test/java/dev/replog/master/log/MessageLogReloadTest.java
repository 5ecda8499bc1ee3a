package dev.replog.master.log;

import static dev.replog.master.log.LogFixtures.epochOne;
import static dev.replog.master.log.LogFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.protocol.Entry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The idempotency keys a master reloads from its log at start: those of its last
 * {@code rememberedKeys} records, and a batch written with one key that straddles that start whole.
 */
class MessageLogReloadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Scheduler writer = Schedulers.newSingle("test-log-writer");

    @AfterEach
    void stop() {
        writer.dispose();
    }

    @Test
    void aBatchThatStraddlesTheStartOfTheRememberedRecordsIsRememberedWhole() {
        InMemoryLogStore store = new InMemoryLogStore();
        store.appendRecords(List.of(record(1, "batch"), record(2, "batch"), record(3, "batch"), record(4, "single"),
                record(5, ""))).join();
        MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 3);

        AppendedBatch replay = messages.appendAll(List.of("m1", "m2", "m3"), "batch").block(TIMEOUT);

        assertThat(replay.replay()).isTrue();
        assertThat(replay.entries()).extracting(Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(messages.append("m4", "single").block(TIMEOUT).replay()).isTrue();
        assertThat(store.lastSeq()).as("nothing appended").isEqualTo(5);
    }
}
