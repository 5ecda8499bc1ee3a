package dev.replog.master.log;

import static dev.replog.master.log.LogFixtures.epochOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The master's durable watermark (what write-concern waits count the master by) moves with every
 * group made durable, also when every request of the group went away during its fsync: a retry
 * of one of them with the same {@code Idempotency-Key} is answered from the remembered keys and
 * waits on that watermark (with {@code w=all}, nothing else would move it on an idle cluster).
 */
class MessageLogDurableWatermarkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Scheduler writer = Schedulers.newSingle("test-log-writer");
    private final DurableOnRelease store = new DurableOnRelease();
    private final AtomicLong durable = new AtomicLong();
    private final MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 100);

    {
        messages.addDurabilityListener(seq -> durable.accumulateAndGet(seq, Math::max));
    }

    @AfterEach
    void stop() {
        writer.dispose();
    }

    @Test
    void aGroupWhoseRequestsAllWentAwayDuringItsFsyncStillMovesTheDurableWatermark() {
        Disposable request = messages.append("m", "order-1").subscribe();
        await().atMost(TIMEOUT).until(() -> messages.lastSeq() == 1);
        request.dispose(); // the client timed out while the fsync ran

        store.release();
        await().atMost(TIMEOUT).until(() -> durable.get() == 1);

        Appended retry = messages.append("m", "order-1").block(TIMEOUT);
        assertThat(retry.replay()).isTrue();
        assertThat(retry.entry().seq()).isEqualTo(1);
    }
}
