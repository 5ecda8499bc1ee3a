package dev.replog.cluster;

import dev.replog.history.History;
import dev.replog.history.Op;
import dev.replog.history.WriteOutcomes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Concurrent clients that write unique messages to the master, each with a random write concern
 * (1, 2, 3, majority, all) and {@code timeoutMs}, and record every write in a {@link History}:
 * invoke before sending, then ok (201), fail (a definite error: 4xx, or a 503 said before anything
 * was appended) or info (504, a 503 Superseded from a master that a newer one replaced while the
 * write waited, another 5xx, a timeout, a refused or broken connection).
 *
 * <p>Each client is an asynchronous loop with one write in flight; after an answer that is not a
 * 201 or 504 it waits 100 ms (300 ms after no answer) so that a master that is down or read-only is not hammered. Answers the
 * contract does not allow during faults (anything but 201, a definite 503, 503 Superseded, 504 or no
 * answer) are
 * kept in {@link #unexpected()}.
 */
final class ChaosClients {

    private static final List<Object> CONCERNS = List.of(1, 2, 3, "majority", "all");
    private static final long[] TIMEOUTS_MS = {250, 1_000, 3_000};
    /** A request that gets no answer in this long counts as info (the master may be paused). */
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Executor BACKOFF = CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS);
    /** After no answer at all the master is probably down or booting: try less often. */
    private static final Executor LONG_BACKOFF = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);

    private final ReplogClient master;
    private final History history;
    private final String prefix;
    private final int clients;
    private final long seed;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final List<CompletableFuture<Void>> loops = new ArrayList<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

    /**
     * @param prefix  starts every message, so that messages stay unique across rounds on one cluster
     * @param seed    seeds each client's choice of w and timeoutMs
     */
    ChaosClients(ReplogClient master, History history, String prefix, int clients, long seed) {
        this.master = master;
        this.history = history;
        this.prefix = prefix;
        this.clients = clients;
        this.seed = seed;
    }

    ChaosClients start() {
        for (int c = 0; c < clients; c++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            next(c, new Random(seed * 31 + c), done);
        }
        return this;
    }

    /** Stops sending and waits until every write in flight has its outcome recorded. */
    void stop(Duration atMost) {
        stopping.set(true);
        try {
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(atMost.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the clients", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the clients did not finish within " + atMost, e);
        }
    }

    long sent() {
        return sent.get();
    }

    /** How many answers of each kind: "201", "503 Read-only", "504", "IOException" ... */
    Map<String, Long> answers() {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    /** Answers outside the contract, one line each. */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    private void next(int client, Random random, CompletableFuture<Void> done) {
        if (stopping.get()) {
            done.complete(null);
            return;
        }
        String message = prefix + "-c" + client + "-" + sent.incrementAndGet();
        Object w = CONCERNS.get(random.nextInt(CONCERNS.size()));
        long timeoutMs = TIMEOUTS_MS[random.nextInt(TIMEOUTS_MS.length)];
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("w", w);
        body.put("timeoutMs", timeoutMs);
        Op invoke = history.invoke(client, message, String.valueOf(w));
        CompletableFuture<HttpResult> answer;
        try {
            answer = master.sendAsync("POST", "/messages", ReplogClient.JSON.writeValueAsString(body),
                    "application/json", Map.of(), HTTP_TIMEOUT);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((result, error) -> {
            boolean pause;
            try {
                pause = record(invoke, result, error);
            } catch (RuntimeException e) {
                unexpected.add(invoke + ": " + e);
                pause = true;
            }
            if (!pause) {
                next(client, random, done);
            } else if (error != null) {
                LONG_BACKOFF.execute(() -> next(client, random, done));
            } else {
                BACKOFF.execute(() -> next(client, random, done));
            }
        });
    }

    /** Records the outcome; true when the client should pause before its next write. */
    private boolean record(Op invoke, HttpResult result, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            count(cause.getClass().getSimpleName());
            if (!(cause instanceof IOException)) {
                unexpected.add(invoke + ": " + cause);
            }
            // the request may have reached the master before the connection broke
            history.info(invoke, 0, String.valueOf(cause));
            return true;
        }
        int status = result.status();
        if (status == 201) {
            count("201");
            JsonNode body = result.json();
            long seq = body.path("seq").asLong(0);
            long id = body.path("id").asLong(0);
            if (seq <= 0 || id <= 0) {
                unexpected.add(invoke + ": 201 without seq and id: " + result);
                history.info(invoke, 0, "malformed 201: " + result);
                return false;
            }
            history.ok(invoke, seq, id);
            return false;
        }
        String title = problemTitle(result);
        count(status + (title.isEmpty() ? "" : " " + title));
        Op.Type outcome = WriteOutcomes.ofAnswer(status, title.isEmpty() ? null : title);
        String detail = status + " " + title;
        if (outcome == Op.Type.FAIL) {
            if (status != 503) {
                unexpected.add(invoke + ": " + result);
            }
            history.fail(invoke, detail);
            return true;
        }
        if (status != 504 && !(status == 503 && "Superseded".equals(title))) {
            unexpected.add(invoke + ": " + result);
        }
        long seq = status == 504 ? safeJson(result).path("seq").asLong(0) : 0;
        history.info(invoke, Math.max(0, seq), detail);
        return status != 504;
    }

    private void count(String answer) {
        answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
    }

    private static String problemTitle(HttpResult result) {
        return safeJson(result).path("title").asString("");
    }

    private static JsonNode safeJson(HttpResult result) {
        try {
            return result.json();
        } catch (RuntimeException e) {
            return ReplogClient.JSON.createObjectNode();
        }
    }

    @Override
    public String toString() {
        return "ChaosClients[" + clients + " clients, sent " + sent() + ", answers " + answers() + "]";
    }
}
