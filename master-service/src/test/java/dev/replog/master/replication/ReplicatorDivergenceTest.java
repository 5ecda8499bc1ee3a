package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.log.CountingIds;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Logs that diverge converge: a secondary whose log holds a long tail an older master wrote (10,000
 * entries that differ from this master's) finds the last entry it shares with the master by binary
 * search, in a few dozen requests, not one round trip per divergent entry; and a secondary ahead of
 * a restarted master's stale log is sent what the log the master adopts adds.
 */
class ReplicatorDivergenceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SHARED = 10;
    private static final int DIVERGENT = 10_000;
    private static final int MAX_BATCH = 1_000;

    private final Scheduler writer = Schedulers.newSingle("test-log-writer");
    private final InMemorySecondary secondary = new InMemorySecondary("s1");
    private Replicator replicator;

    @AfterEach
    void stop() {
        if (replicator != null) {
            replicator.stop();
        }
        secondary.close();
        writer.dispose();
    }

    @Test
    void aTenThousandEntryDivergentTailConvergesInAFewDozenRequests() {
        MasterEpoch epoch = new MasterEpoch();
        epoch.take(2);
        AckTracker tracker = new AckTracker(2);
        MessageLog messages = new MessageLog(new InMemoryLogStore(), new CountingIds(), epoch, writer, 100);
        messages.addDurabilityListener(tracker);
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= SHARED + DIVERGENT; i++) {
            texts.add("master-" + i);
        }
        messages.appendAll(texts, null).block(TIMEOUT);

        List<LogRecord> older = new ArrayList<>();
        for (long seq = 1; seq <= SHARED + DIVERGENT; seq++) {
            older.add(seq <= SHARED ? new LogRecord(seq, seq, 2, "", "master-" + seq)
                    : new LogRecord(seq, 1_000_000 + seq, 1, "", "older-master-" + seq));
        }
        secondary.holds(older);
        secondary.epoch.set(2);

        replicator = replicatorOf(messages, tracker, epoch, Duration.ZERO);
        LogRecord last = older.get(older.size() - 1);
        replicator.onHeartbeat(new ReplicationStatus("s1", last.seq(), last.id(), 2, 1), replicator.heartbeatSent());

        await().atMost(TIMEOUT).until(() -> secondary.entries().equals(messages.store().read(1, SHARED + DIVERGENT)));
        int requests = secondary.requests.get();
        assertThat(requests).as("requests until the logs agree: ~log2(10,000) reads and 10 batches").isLessThan(50);
        await().atMost(TIMEOUT).until(() -> tracker.watermark(1) == SHARED + DIVERGENT);
    }

    /**
     * A master restarts with a stale log (seq 1..6, its 4..6 never replicated) while a newer master
     * left the secondaries ahead (1..10). Its first heartbeat comes before it has taken an epoch;
     * recovery then drops 4..6, adopts 4..11 from another secondary and takes the epoch. The
     * secondary must be sent seq 11, wherever the heartbeat fell in that schedule. The adopted
     * entries are not in the master's memory, so the batch is read from the files on another
     * thread; with the default linger that hand-over once restarted the linger each time, and the
     * lone w=1 entry was never sent (ChaosIT's two-masters schedule).
     */
    @ParameterizedTest(name = "heartbeat {0}")
    @EnumSource(HeartbeatAt.class)
    void aSecondaryAheadOfARestartedMastersStaleLogIsSentWhatTheAdoptedLogAdds(HeartbeatAt at) {
        MasterEpoch epoch = new MasterEpoch();
        AckTracker tracker = new AckTracker(2);
        MessageLog messages = new MessageLog(new InMemoryLogStore(), new CountingIds(), epoch, writer, 100);
        messages.addDurabilityListener(tracker);
        messages.appendRecovered(keyed(1, 6, seq -> seq <= 3 ? seq : 100 + seq, 1)).block(TIMEOUT);
        List<LogRecord> newer = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) {
            newer.add(new LogRecord(seq, seq, seq <= 3 ? 1 : 2, "", "entry-" + seq));
        }
        secondary.holds(newer);
        secondary.epoch.set(2);
        // the default linger: the last entry, written at w=1, is not awaited and may wait for company
        replicator = replicatorOf(messages, tracker, epoch, Duration.ofMillis(5));
        messages.addDurabilityListener(seq -> replicator.wake());
        Runnable heartbeat = () -> replicator.onHeartbeat(new ReplicationStatus("s1", 10, 10, 2, 2),
                replicator.heartbeatSent());

        if (at == HeartbeatAt.BEFORE_THE_TRUNCATION) {
            heartbeat.run();
        }
        messages.truncateAfter(3).block(TIMEOUT);
        if (at == HeartbeatAt.AFTER_THE_TRUNCATION) {
            heartbeat.run();
        }
        messages.appendRecovered(keyed(4, 11, seq -> seq, 2)).block(TIMEOUT);
        if (at == HeartbeatAt.AFTER_THE_ADOPTION) {
            heartbeat.run();
        }
        epoch.take(3);
        replicator.wake();
        if (at == HeartbeatAt.AFTER_THE_EPOCH) {
            heartbeat.run();
        }

        await().atMost(TIMEOUT).until(() -> secondary.entries().equals(messages.store().read(1, 11)));
        await().atMost(TIMEOUT).until(() -> tracker.watermark(1) == 11);
    }

    enum HeartbeatAt { BEFORE_THE_TRUNCATION, AFTER_THE_TRUNCATION, AFTER_THE_ADOPTION, AFTER_THE_EPOCH }

    /** Entries {@code from..to} with ids {@code idOf(seq)} and messages {@code entry-<id>}, written by {@code epoch}. */
    private static KeyedEntries keyed(long from, long to, LongUnaryOperator idOf, long epoch) {
        List<Entry> entries = new ArrayList<>();
        Map<Long, Long> epochs = new HashMap<>();
        for (long seq = from; seq <= to; seq++) {
            entries.add(new Entry(seq, idOf.applyAsLong(seq), "entry-" + idOf.applyAsLong(seq)));
            epochs.put(seq, epoch);
        }
        return new KeyedEntries(entries, Map.of(), epochs);
    }

    private Replicator replicatorOf(MessageLog messages, AckTracker tracker, MasterEpoch epoch, Duration linger) {
        SecondaryNode node = new SecondaryNode(1, "s1", URI.create(secondary.asSecondary().substring("s1=".length())));
        return TestReplicators.replicator(node, messages, tracker, epoch, new NodeHealth(3),
                new Replicator.BatchLimits(MAX_BATCH, 1 << 24, linger, 1), TIMEOUT,
                TestReplicators.ignoredEvents());
    }
}
