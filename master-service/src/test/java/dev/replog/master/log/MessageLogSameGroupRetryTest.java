package dev.replog.master.log;

import static dev.replog.master.log.LogFixtures.epochOne;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.AppendFailedException;
import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.testing.ForwardingLogStore;
import dev.replog.common.protocol.Entry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A retry that reaches the master's writer in the same group as the request it repeats (the same
 * {@code Idempotency-Key}; a client that timed out while the writer was in a slow fsync) gets that
 * request's entries only once they are written, and fails with them: the seqs of a failed store
 * write go to the next group's messages, so an earlier answer would confirm another message.
 */
class MessageLogSameGroupRetryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A plain thread, as the master's writer is: the test holds it busy (BlockHound forbids that on Reactor's). */
    private final Scheduler writer = Schedulers.fromExecutorService(
            Executors.newSingleThreadExecutor(task -> new Thread(task, "test-log-writer")));
    private final RefusingStore store = new RefusingStore();
    private final MessageLog messages = new MessageLog(store, new CountingIds(), epochOne(), writer, 100);

    @AfterEach
    void stop() {
        writer.dispose();
    }

    @Test
    void aRetryInTheGroupOfAFailedWriteFailsWithIt() throws Exception {
        store.refuseNext.set(1);
        List<CompletableFuture<Appended>> sameGroup = inOneGroup("K");

        assertThat(sameGroup).allSatisfy(answer -> assertThat(answer).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(AppendFailedException.class));
        Appended next = messages.append("another message", null).block(TIMEOUT);
        assertThat(next.entry().seq()).as("the failed write's seq goes to the next message").isEqualTo(1);
        assertThat(store.read(1, 10)).extracting(Entry::message).containsExactly("another message");
    }

    @Test
    void aRetryInTheGroupOfAWriteThatSucceedsGetsItsEntryAsAReplay() throws Exception {
        List<CompletableFuture<Appended>> sameGroup = inOneGroup("K");

        Appended first = sameGroup.get(0).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Appended retry = sameGroup.get(1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(first.replay()).isFalse();
        assertThat(retry.replay()).isTrue();
        assertThat(retry.entry()).isEqualTo(first.entry());
        assertThat(store.read(1, 10)).extracting(Entry::message).containsExactly("message");
        assertThat(store.appends).as("one store write for the group").hasValue(1);
    }

    /** A request and its retry under {@code key}, queued while the writer is busy, so one turn takes both. */
    private List<CompletableFuture<Appended>> inOneGroup(String key) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        writer.schedule(() -> {
            busy.countDown();
            try {
                held.complete(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (InterruptedException | RuntimeException | Error e) {
                held.completeExceptionally(e);
            }
        });
        assertThat(busy.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Appended>> answers = List.of(messages.append("message", key).toFuture(),
                messages.append("message", key).toFuture());
        release.countDown();
        assertThat(held).as("the writer was held until both were queued").succeedsWithin(TIMEOUT).isEqualTo(true);
        return answers;
    }


    /** The in-memory store, refusing the next {@code refuseNext} appends as a full disk does. */
    private static final class RefusingStore extends ForwardingLogStore {
        final AtomicInteger refuseNext = new AtomicInteger();
        final AtomicInteger appends = new AtomicInteger();

        RefusingStore() {
            super(new InMemoryLogStore());
        }

        @Override
        public CompletableFuture<Long> appendRecords(List<LogRecord> records) {
            if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new AppendFailedException("no room", new IOException("No space left on device"));
            }
            appends.incrementAndGet();
            return delegate.appendRecords(records);
        }
    }
}
