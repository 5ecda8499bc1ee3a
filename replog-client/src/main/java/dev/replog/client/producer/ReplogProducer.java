package dev.replog.client.producer;

import dev.replog.client.error.BadInputException;
import dev.replog.client.error.ReplogException;
import dev.replog.client.error.UnavailableException;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.BatchResult;
import dev.replog.client.write.MasterWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Appends single messages in batches, as Kafka's producer does: {@link #send} puts the message and
 * its future into an accumulator; a sender drains full batches at once and the open batch when its
 * linger has passed, into {@code POST /messages/batch} requests, at most
 * {@link ProducerSettings#maxInFlight()} of them unanswered at a time. Each message's future is
 * completed with its own entry: seq {@code first + index}, id {@code ids[index]}.
 *
 * <p>Every batch carries one {@code Idempotency-Key} through all its retries (a timeout, a dropped
 * connection, a superseded master, a takeover), so it is appended at most once. Messages of one
 * batch are consecutive entries in the order they were sent; with more than one batch in flight, a
 * retried batch may land after a later one: set {@code maxInFlight} to 1 to keep every message in
 * send order. Thread-safe.
 */
public final class ReplogProducer implements AutoCloseable {

    private final MasterWriter writer;
    private final ProducerSettings settings;
    private final Accumulator accumulator;
    private final Scheduler timer;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Batches sent and not yet answered; added under this producer's lock, with their drain. */
    private final Set<Batch> unanswered = ConcurrentHashMap.newKeySet();
    /** Messages taken and not yet answered (a count per batch, not a record per message). */
    private final AtomicInteger pendingMessages = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    public ReplogProducer(MasterWriter writer, ProducerSettings settings) {
        this.writer = writer;
        this.settings = settings;
        this.accumulator = new Accumulator(settings.batchSize(), settings.maxBatchBytes(),
                settings.linger().toNanos(), settings.bufferedLimit());
        this.timer = Schedulers.newSingle("replog-producer-linger", true);
    }

    /** The settings this producer batches by. */
    public ProducerSettings settings() {
        return settings;
    }

    /**
     * Queues {@code message} for the next batch. The future completes with the message's entry once
     * its batch is acknowledged with the producer's write concern, or with the batch's
     * {@link ReplogException}; a message over {@code maxMessageBytes}, or one sent while
     * {@code bufferedLimit} messages wait, fails at once.
     */
    public CompletableFuture<AppendResult> send(String message) {
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        if (closed.get()) {
            future.completeExceptionally(new IllegalStateException("the producer is closed"));
            return future;
        }
        long bytes = message == null ? 0 : Messages.utf8Length(message);
        String invalid = Messages.invalid(message, bytes, settings.maxMessageBytes());
        if (invalid != null) {
            future.completeExceptionally(new BadInputException(400, "Bad request", invalid));
            return future;
        }
        Accumulator.Added added = accumulator.add(message, bytes, future, System.nanoTime());
        if (added == Accumulator.Added.BUFFER_FULL) {
            future.completeExceptionally(new ReplogException(0, "Producer buffer full", settings.bufferedLimit()
                    + " messages wait to be sent; nothing was sent", false));
            return future;
        }
        pendingMessages.incrementAndGet();
        boolean lingers = !settings.linger().isZero();
        if (added.startsLinger() && lingers) {
            timer.schedule(this::sendReady, settings.linger().toNanos(), TimeUnit.NANOSECONDS);
        }
        // the sender is woken only when this message made a batch ready; every other ready batch is
        // sent by the linger timer, a flush or the answer that frees an in-flight slot
        if (added.madeReady() || !lingers) {
            sendReady();
        }
        return future;
    }

    /** Sends every waiting message now; the future completes when each message sent before has its answer. */
    public CompletableFuture<Void> flush() {
        List<Batch> waiting = new ArrayList<>();
        synchronized (this) {
            // every message sent before is in a batch sent (unanswered) or still in the accumulator
            waiting.addAll(unanswered);
            waiting.addAll(accumulator.waiting());
        }
        accumulator.flush();
        sendReady();
        return CompletableFuture.allOf(waiting.stream().map(Batch::answered).toArray(CompletableFuture<?>[]::new));
    }

    /** Messages sent and not yet answered. */
    public int pending() {
        return pendingMessages.get();
    }

    /**
     * Takes no more messages, sends every waiting one and waits until each has its answer (at most
     * the producer's timeout).
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                flush().get(settings.timeout().plus(Duration.ofSeconds(5)).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // every message's own future carries its outcome
            } finally {
                timer.dispose();
            }
        }
    }

    /** Drains ready batches into requests while fewer than maxInFlight are unanswered. */
    private void sendReady() {
        while (true) {
            List<Batch> ready;
            synchronized (this) {
                int free = settings.maxInFlight() - inFlight.get();
                if (free <= 0) {
                    return;
                }
                ready = accumulator.drain(free, System.nanoTime());
                inFlight.addAndGet(ready.size());
                unanswered.addAll(ready);
            }
            if (ready.isEmpty()) {
                // a batch that becomes ready while every slot is busy goes when an answer frees one
                return;
            }
            ready.forEach(this::send);
        }
    }

    private void send(Batch batch) {
        writer.appendBatch(batch.messages(), settings.w(), settings.timeout(), batch.key())
                .subscribe(result -> answered(batch, result), error -> failed(batch, error));
    }

    private void answered(Batch batch, BatchResult result) {
        inFlight.decrementAndGet();
        if (result.size() != batch.size()) {
            fail(batch, new UnavailableException(200, "Unexpected answer", "a batch of " + batch.size()
                    + " messages was answered with " + result.size() + " ids", true, null));
        } else {
            for (int i = 0; i < batch.size(); i++) {
                batch.futures().get(i).complete(result.get(i));
            }
            done(batch);
        }
        sendReady();
    }

    private void failed(Batch batch, Throwable error) {
        inFlight.decrementAndGet();
        fail(batch, error);
        sendReady();
    }

    private void fail(Batch batch, Throwable error) {
        batch.futures().forEach(future -> future.completeExceptionally(error));
        done(batch);
    }

    /** After every message of {@code batch} has its answer. */
    private void done(Batch batch) {
        unanswered.remove(batch);
        pendingMessages.addAndGet(-batch.size());
        batch.answered().complete(null);
    }
}
