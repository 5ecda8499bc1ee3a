package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.CountingIds;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A master that took over fetched the entries it lacked from a fenced secondary; its replicator
 * starts from the state that secondary reported once fenced, so the secondary is sent only what
 * follows (before, a standby that never led shipped the whole log back ahead of its first write),
 * and a secondary whose reported last entry is not the master's is still brought to the master's
 * log.
 */
class ReplicatorStartAfterRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int HELD = 5_000;

    private final Scheduler writer = Schedulers.newSingle("test-log-writer");
    private final InMemorySecondary secondary = new InMemorySecondary("s1");
    private final MasterEpoch epoch = new MasterEpoch();
    private final AckTracker tracker = new AckTracker(2);
    private MessageLog messages;
    private Replicator replicator;

    @BeforeEach
    void emptyMaster() {
        messages = new MessageLog(new InMemoryLogStore(), new CountingIds(), epoch, writer, 100);
        messages.addDurabilityListener(tracker);
        SecondaryNode node = new SecondaryNode(1, "s1", URI.create(secondary.asSecondary().substring("s1=".length())));
        replicator = TestReplicators.replicator(node, messages, tracker, epoch, new NodeHealth(3),
                new Replicator.BatchLimits(1_000, 1 << 24, Duration.ZERO, 4), TIMEOUT,
                TestReplicators.ignoredEvents());
        messages.addDurabilityListener(seq -> replicator.wake());
    }

    @AfterEach
    void stop() {
        replicator.stop();
        secondary.close();
        writer.dispose();
    }

    @Test
    void aSecondaryThatHoldsTheFetchedEntriesIsSentOnlyTheNewOnes() {
        secondary.holds(records(1, HELD, 1));
        secondary.epoch.set(2); // fenced with the new master's epoch
        ReplicationStatus fenced = new ReplicationStatus("s1", HELD, HELD, 2, 1);
        // heard while recovering, before the fetch: the resume point is the end of the empty log
        replicator.onHeartbeat(fenced, replicator.heartbeatSent());

        lead(fenced);
        messages.appendAll(List.of("first new write"), null).block(TIMEOUT);

        await().atMost(TIMEOUT).until(() -> secondary.entries().equals(messages.store().read(1, HELD + 1)));
        await().atMost(TIMEOUT).until(() -> tracker.watermark(1) == HELD + 1);
        assertThat(secondary.duplicates.get()).as("entries shipped to the secondary that held them").isZero();
    }

    @Test
    void aSecondaryWhoseLastEntryIsAnotherMastersIsStillBroughtToThisLog() {
        List<LogRecord> older = new ArrayList<>(records(1, HELD - 10, 1));
        for (long seq = HELD - 9; seq <= HELD + 5; seq++) {
            older.add(new LogRecord(seq, 1_000_000 + seq, 1, "", "never acknowledged " + seq));
        }
        secondary.holds(older);
        secondary.epoch.set(2);
        ReplicationStatus fenced = new ReplicationStatus("s1", HELD + 5, 1_000_000 + HELD + 5, 2, 1);
        replicator.onHeartbeat(fenced, replicator.heartbeatSent());

        lead(fenced);
        messages.appendAll(List.of("first new write"), null).block(TIMEOUT);

        await().atMost(TIMEOUT).until(() -> secondary.entries().equals(messages.store().read(1, HELD + 1)));
        await().atMost(TIMEOUT).until(() -> tracker.watermark(1) == HELD + 1);
    }

    /** What recovery does once fenced: fetch 1..HELD from another secondary, start the replicator, take the epoch. */
    private void lead(ReplicationStatus fenced) {
        messages.appendRecovered(keyed(1, HELD)).block(TIMEOUT);
        messages.advanceIdsPast(2_000_000).block(TIMEOUT);
        replicator.startFrom(fenced);
        epoch.take(2);
        replicator.wake();
    }

    private static List<LogRecord> records(long from, long to, long writtenBy) {
        List<LogRecord> records = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            records.add(new LogRecord(seq, seq, writtenBy, "", "entry-" + seq));
        }
        return records;
    }

    private static KeyedEntries keyed(long from, long to) {
        List<Entry> entries = new ArrayList<>();
        Map<Long, Long> epochs = new HashMap<>();
        for (long seq = from; seq <= to; seq++) {
            entries.add(new Entry(seq, seq, "entry-" + seq));
            epochs.put(seq, 1L);
        }
        return new KeyedEntries(entries, Map.of(), epochs);
    }
}
