package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * Concurrent clients that write unique messages to the master without pause, each with a random
 * {@code w} in 1..3 and a {@code timeoutMs}, and sort every answer by what it proves:
 * <ul>
 *   <li>{@link #acked()}: 201, the write is stored on {@code w} nodes and must never be lost;</li>
 *   <li>{@link #refused()}: 503 (read-only or recovering), nothing was appended: must never show up;</li>
 *   <li>{@link #unknown()}: 504, a 503 Superseded with the {@code seq} of a write that waited while a
 *       newer master took over, or no answer (connection refused or reset while the master is down):
 *       the write may or may not be in the log;</li>
 *   <li>{@link #unexpected()}: anything else (a malformed 201, a 500, a 400...): a defect.</li>
 * </ul>
 * Each client is an asynchronous loop: the next request leaves when the previous one is answered,
 * or 50 ms after a failure so that a master that is down is not hammered.
 */
final class WriteLoad {

    /** An acknowledged write, with the node state it was written in. */
    record Ack(String message, int w, long seq, long id, int acks, String phase) {
    }

    private static final Executor RETRY_DELAY = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);

    private final ReplogClient master;
    private final int clients;
    private final int clusterSize;
    private final long timeoutMs;
    private final String prefix;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong counter = new AtomicLong();
    private final AtomicReference<String> phase = new AtomicReference<>("start");
    private final List<CompletableFuture<Void>> loops = new ArrayList<>();
    private final Queue<Ack> acked = new ConcurrentLinkedQueue<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

    WriteLoad(ReplogClient master, int clients, int clusterSize, long timeoutMs, String prefix) {
        this.master = master;
        this.clients = clients;
        this.clusterSize = clusterSize;
        this.timeoutMs = timeoutMs;
        this.prefix = prefix;
    }

    WriteLoad start() {
        for (int c = 0; c < clients; c++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            next(c, done);
        }
        return this;
    }

    /** Labels the writes sent from now on (for failure messages), e.g. "secondary down". */
    void phase(String name) {
        phase.set(name);
    }

    /** Waits until {@code more} further writes have been acknowledged. */
    void awaitMoreAcks(int more, String why, Duration atMost) {
        int target = acked.size() + more;
        await(more + " more acknowledged writes " + why + " (have " + acked.size() + ")")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> acked.size() >= target || !unexpected.isEmpty());
    }

    /** Stops sending and waits for every request in flight to be answered. */
    void stop(Duration atMost) {
        stopping.set(true);
        try {
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                    .get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the load", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the writing clients did not finish within " + atMost, e);
        }
    }

    /** Fails when any answer was neither a well-formed 201, a 503 problem nor a 504. */
    void assertNoUnexpectedAnswers() {
        assertThat(List.copyOf(unexpected)).as("answers to writes that are neither a well-formed 201, a 503 "
                + "READ_ONLY/RECOVERING problem, a 504 nor a refused connection (%s)", this).isEmpty();
    }

    List<Ack> acked() {
        return List.copyOf(acked);
    }

    Set<String> refused() {
        return Set.copyOf(refused);
    }

    Set<String> unknown() {
        return Set.copyOf(unknown);
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Every message a client sent. */
    long sent() {
        return counter.get();
    }

    private void next(int client, CompletableFuture<Void> done) {
        if (stopping.get()) {
            done.complete(null);
            return;
        }
        String message = prefix + "-c" + client + "-" + counter.incrementAndGet();
        int w = 1 + ThreadLocalRandom.current().nextInt(3);
        String sentIn = phase.get();
        CompletableFuture<HttpResult> answer;
        try {
            answer = master.writeAsync(message, w, timeoutMs);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> {
            boolean ok;
            try {
                ok = record(message, w, sentIn, result, error);
            } catch (RuntimeException | AssertionError e) {
                unexpected.add(message + " (w=" + w + ", " + sentIn + "): " + e);
                ok = false;
            }
            if (ok) {
                next(client, done);
            } else {
                RETRY_DELAY.execute(() -> next(client, done));
            }
        });
    }

    /** Sorts one answer; true when it was a 201. */
    private boolean record(String message, int w, String sentIn, HttpResult result, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IOException) {
                unknown.add(message); // connection refused or reset: the master is down
                return false;
            }
            unexpected.add(message + " (w=" + w + ", " + sentIn + "): " + cause);
            return false;
        }
        switch (result.status()) {
            case 201 -> {
                Written written = Written.created(result, w, clusterSize);
                acked.add(new Ack(message, w, written.seq(), written.id(), written.acks(), sentIn));
                return true;
            }
            case 503 -> {
                JsonNode problem = LogChecks.assertProblem(result, 503);
                if (problem.has("seq") && "Superseded".equals(problem.path("title").asString(""))) {
                    unknown.add(message); // a newer master took over while it waited: it may or may not survive
                    return false;
                }
                String mode = problem.path("mode").asString("");
                if (!mode.equals("READ_ONLY") && !mode.equals("RECOVERING")) {
                    unexpected.add(message + " (w=" + w + ", " + sentIn + "): 503 without mode READ_ONLY or "
                            + "RECOVERING: " + result);
                }
                refused.add(message);
                return false;
            }
            case 504 -> {
                unknown.add(message); // timeoutMs passed: the entry stays in the log and keeps replicating
                return true;
            }
            default -> {
                unexpected.add(message + " (w=" + w + ", " + sentIn + "): " + result);
                return false;
            }
        }
    }

    /** A count of acknowledged writes by w, for messages. */
    Map<Integer, Long> ackedByW() {
        Map<Integer, Long> counts = new TreeMap<>();
        for (Ack ack : acked) {
            counts.merge(ack.w(), 1L, Long::sum);
        }
        return counts;
    }

    @Override
    public String toString() {
        return "WriteLoad[sent " + sent() + ", acked " + acked.size() + " " + ackedByW() + ", refused " + refused.size()
                + ", unknown " + unknown.size() + ", unexpected " + unexpected.size() + "]";
    }
}
