package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.log.CountingIds;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.writeconcern.AckTracker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A secondary whose log holds a long tail an older master wrote (10,000 entries that differ from
 * this master's) finds the last entry it shares with the master by binary search, and converges in
 * a few dozen requests, not one round trip per divergent entry.
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

        replicator = replicatorOf(messages, tracker, epoch);
        LogRecord last = older.get(older.size() - 1);
        replicator.onHeartbeat(new ReplicationStatus("s1", last.seq(), last.id(), 2, 1), replicator.heartbeatSent());

        await().atMost(TIMEOUT).until(() -> secondary.entries().equals(messages.store().read(1, SHARED + DIVERGENT)));
        int requests = secondary.requests.get();
        assertThat(requests).as("requests until the logs agree: ~log2(10,000) reads and 10 batches").isLessThan(50);
        await().atMost(TIMEOUT).until(() -> tracker.watermark(1) == SHARED + DIVERGENT);
    }

    private Replicator replicatorOf(MessageLog messages, AckTracker tracker, MasterEpoch epoch) {
        SecondaryNode node = new SecondaryNode(1, "s1", URI.create(secondary.asSecondary().substring("s1=".length())));
        return TestReplicators.replicator(node, messages, tracker, epoch, new NodeHealth(3),
                new Replicator.BatchLimits(MAX_BATCH, 1 << 24, Duration.ZERO, 1), TIMEOUT,
                TestReplicators.ignoredEvents());
    }
}
